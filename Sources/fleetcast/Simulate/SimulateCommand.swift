import ArgumentParser
import Autoscaling
import FleetcastAPI
import FleetcastCLI
import Forecasting
import Foundation
import Operator
import PoolPolicy
import Simulation
import Traces
import Tuning

extension Fleetcast {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Replay a demand trace through scaling policies and compare cost and unmet demand.",
            discussion: """
                Runs the production planner and forecaster (policy "predictive") on a virtual clock over a \
                trace, next to reference policies: reactive (scale up on shortfall, remove a node after 10 \
                idle minutes, like cluster-autoscaler), static (peak capacity all the time), scheduled \
                (declared schedules + reactive, like a KEDA cron floor) and oracle (perfect foresight: the \
                lower bound on cost for zero unmet demand). With --compare and a pool that has schedules, \
                "predictive-unscheduled" is the predictive policy with every schedule left out of its \
                forecast, so the table shows what the schedules are worth; --cronjobs FILE adds the schedules the \
                operator would discover from those CronJobs (spec.discovery.cronJobs), each window lasting \
                activeDeadlineSeconds or one hour until it has run. When a job-list trace has a schedule \
                column naming a CronJob of FILE (NAMESPACE/NAME, or NAME when unique), its windows learn their \
                length from those rows as the operator learns it from the CronJob's Jobs, and only from runs \
                completed by then: the longest of the last 5 (rows submitted at one instant are one run, from \
                submit to the last row's end). The predictive policy only ever sees the past \
                and refits on the operator's cadence: every forecast bin it carries the chosen model \
                forward over the new bins, and once a day (--reestimate) it chooses the model and estimates \
                its parameters again.

                The trace is a CSV: a demand series (timestamp_seconds,gpus) or a job list \
                (submit_seconds,duration_seconds,gpus[,kind][,schedule]), detected by its header. Nodes are billed per \
                second from request to removal. Metrics: cost (pool currency; node-hours without \
                spec.nodes.hourlyCost), nodeHours, gpuHoursProvisioned, gpuHoursUsed, utilization, \
                unmetGPUHours, servedFraction, sloMinutesFraction, coldStarts, p95WaitSeconds (job lists: of \
                job waits; demand series: of demanded GPU-time, an unmet GPU-second waiting as long as its \
                shortfall has lasted), scaleEvents.

                With a standby tier (spec.warmPool.standby, or --standby without editing the YAML), policy "tiered" \
                runs the same loop with running and suspended standby nodes (set up with a cold start, billed at \
                the standby price, resumed in a --resume draw), and "predictive" is the running-only warm pool \
                beside it; the outputs add standbyNodeHours and resumes (see docs/cold-starts.md).

                With an objective (--objective served=0.999, or the pool's spec.objective), --compare adds \
                the policy "tuned" (--policy tuned alone): every --tune-every it is tuned as `fleetcast tune` \
                does, on the seven scored days before only, and runs the next period with what was found \
                (demand series only; see docs/tuning.md).

                --prometheus URL --query Q --from T [--to T] replays a cluster's real history instead: the \
                series Q sampled every --query-step, exactly what `fleetcast trace export` writes, with t = 0 \
                (and --start) at --from.

                Examples:
                  fleetcast simulate -f pool.yaml --trace demand.csv --compare --startup lognormal:p50=6m,p90=12m --warmup 7d
                  fleetcast simulate -f pool.yaml --trace demand.csv --set spec.warmPool.minIdleNodes=2 --format json
                  fleetcast simulate -f pool.yaml --trace demand.csv --startup node=lognormal:p50=4m,p90=8m --startup ImagePull=3m --startup ModelLoad=1m
                  fleetcast simulate -f pool.yaml --trace demand.csv --compare --standby max=20,percent=20 --resume lognormal:p50=35s,p90=60s
                  fleetcast simulate -f pool.yaml --prometheus http://127.0.0.1:9090 --query 'sum(kube_pod_container_resource_requests{resource="nvidia_com_gpu"})' --from 14d

                The pool is chosen from -f as in every command: a file with one GPUPool selects it, several \
                need --pool NAME, and any invalid GPUPool in the file is an error.

                Exit codes: 0 success; 1 invalid input (a bad trace line, an invalid pool or --set); 2 usage \
                or I/O error (an unreadable file, several pools and no --pool, a --pool that is not there).
                """
        )

        @Option(name: [.customShort("f"), .customLong("filename")], help: ArgumentHelp("The GPUPool YAML (the file the operator reads).", valueName: "pool.yaml"))
        var poolFile: String

        @Option(help: ArgumentHelp("The GPUPool to use when the file holds several.", valueName: "name"))
        var pool: String?

        @Option(help: ArgumentHelp("The trace CSV (demand series or job list).", valueName: "file"))
        var trace: String?

        @Option(help: ArgumentHelp("Read the demand series from this Prometheus server instead of --trace (with --query, --from, --to).", valueName: "url"))
        var prometheus: String?

        @Option(help: ArgumentHelp("With --prometheus: PromQL returning demand in GPUs as one series.", valueName: "promql"))
        var query: String?

        @Option(name: .customLong("from"), help: ArgumentHelp("With --prometheus: start (RFC 3339, seconds since 1970, or a duration before --to such as 14d); also the trace's --start.", valueName: "instant"))
        var from: String?

        @Option(help: ArgumentHelp("With --prometheus: end (RFC 3339, seconds since 1970, or now).", valueName: "instant"))
        var to: String = "now"

        @Option(help: ArgumentHelp("With --prometheus: time between samples.", valueName: "duration"))
        var queryStep: CommandDuration = CommandDuration(seconds: 60)

        @Option(name: .customLong("policy"), help: ArgumentHelp("Policies to run, comma-separated: predictive, tiered, reactive, static, scheduled, yesterday, oracle, tuned. Default: predictive. tiered needs a standby tier (spec.warmPool.standby or --standby).", valueName: "list"))
        var policyList: [String] = []

        @Flag(help: "Run every policy (predictive, reactive, static, scheduled, yesterday, oracle), tiered when there is a standby tier, predictive-unscheduled when the pool has schedules, and tuned when there is an objective.")
        var compare = false

        @Option(help: ArgumentHelp("Objective for the tuned policy: served=0.999, wait=2m, waitQuantile=0.95. Default: the pool's spec.objective.", valueName: "key=value"))
        var objective: [String] = []

        @Option(help: ArgumentHelp("Tuned policy: how often it tunes again on the days before (the operator: daily).", valueName: "duration"))
        var tuneEvery: String = "24h"

        @Option(help: ArgumentHelp("Tuned policy: most settings replayed per tuning.", valueName: "n"))
        var tuneMaxSettings: Int = 40

        @Option(help: ArgumentHelp(
            "Node start-up time: a fixed duration (10m) or lognormal:p50=6m,p90=12m. Or phases, one option each: node=SPEC (request to "
                + "GPU-allocatable) plus any of Provisioning=, Scheduling=, ImagePull=, ModelLoad= (see docs/cold-starts.md). "
                + "Default: the pool's spec.startup.expected.", valueName: "spec"))
        var startup: [String] = []

        @Option(help: ArgumentHelp(
            "A standby tier for the tiered policy, without editing the YAML: max=N[,min=N][,percent=P][,price=F], F a standby node-hour's "
                + "price as a fraction of a running one's (default 0.1). Overrides spec.warmPool.standby (see docs/cold-starts.md).",
            valueName: "spec"))
        var standby: String?

        @Option(help: ArgumentHelp("Standby resume time (suspended to serving): a fixed duration (35s) or lognormal:p50=35s,p90=60s. Default: spec.warmPool.standby.resume.expected.", valueName: "spec"))
        var resume: String?

        @Option(help: ArgumentHelp("Replay this prefix of the trace as history only, not scored (e.g. 7d).", valueName: "duration"))
        var warmup: String = "0s"

        @Option(help: ArgumentHelp("Seed for node start-up times; the same seed gives the same output.", valueName: "n"))
        var seed: UInt64 = 1

        @Option(name: .customLong("cronjobs"), help: ArgumentHelp("CronJobs (YAML, e.g. kubectl get cronjobs -o yaml) to discover schedules from, as the operator does with spec.discovery.cronJobs: the ones whose pods request the pool's GPUs and fit its nodes become schedules. Durations: activeDeadlineSeconds or one hour, then learned from the trace's rows whose schedule column names the CronJob, as they complete.", valueName: "file"))
        var cronJobsFile: String?

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a spec field for a what-if, e.g. spec.warmPool.minIdleNodes=2 or spec.schedules[0].gpus=64. Repeatable.", valueName: "spec.path=value"))
        var overrides: [String] = []

        @Option(help: ArgumentHelp("Output format: table, json or csv.", valueName: "format"))
        var format: OutputFormat = .table

        @Option(help: ArgumentHelp("Also write DIR/report.html (charts) and DIR/steps.csv (per-step values).", valueName: "dir"))
        var report: String?

        @Option(help: ArgumentHelp("Calendar instant of the trace's t = 0 (anchors schedules and weekdays).", valueName: "iso8601"))
        var start: String = "2026-01-05T00:00:00Z"

        @Option(help: ArgumentHelp("How often the predictive policy refits its forecaster. Default: every forecast bin (spec.forecast.step), the operator's cadence.", valueName: "duration"))
        var refit: String?

        @Option(help: ArgumentHelp("How long a refit carries the chosen model and its parameters forward before choosing and estimating them again (the operator's interval).", valueName: "duration"))
        var reestimate: String = "24h"

        /// The predictive policy's name in reports when its forecast leaves the schedules out.
        static let unscheduledPolicy = "predictive-unscheduled"

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case table, json, csv
        }

        func run() throws {
            do {
                try simulate()
            } catch {
                throw ReplayInputFailure.exit(for: error, command: "simulate") ?? error
            }
        }

        struct OutputProblem: Error, CustomStringConvertible {
            var description: String
        }

        /// The trace file to replay and the calendar instant of its t = 0: `--trace` and `--start`, or
        /// the series `--prometheus` returns, written exactly as `fleetcast trace export` would.
        private func traceSource() throws -> (path: String, origin: Date, temporary: Bool) {
            switch (trace, prometheus) {
            case (let path?, nil):
                return (path, try SimulationInputs.instant(start), false)
            case (nil, let url?):
                guard let query, let from else {
                    throw SimulationInputs.Problem(description: "--prometheus needs --query and --from")
                }
                let now = Date()
                let end = try PrometheusTrace.instant(to, option: "--to", now: now)
                let begin = try PrometheusTrace.instant(from, option: "--from", now: now, relativeTo: end)
                let (csv, _, _) = try PrometheusTrace.csv(url: url, query: query, from: begin, to: end, step: queryStep.seconds,
                                                          timeout: 60, timeBase: .sinceStart)
                return (try PrometheusTrace.temporaryFile(csv), begin, true)
            default:
                throw SimulationInputs.Problem(description: "give either --trace FILE or --prometheus URL --query Q --from T")
            }
        }

        private func simulate() throws {
            let parsedOverrides = try overrides.map { text throws(SpecOverride.Problem) in try SpecOverride(parsing: text) }
            let gpuPool = try PoolSelection.select(file: poolFile, name: pool, overrides: parsedOverrides)
            func gpuPoolObjective() -> TuningObjective? { gpuPool.spec.objective.map { TuningObjective(spec: $0) } }
            let named = policyList.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let requestedKinds = compare ? PolicyKind.allCases
                : try SimulationInputs.policies(policyList.isEmpty ? ["predictive"] : named.filter { $0 != "tuned" })
            let goal = try ObjectiveArgument.parse(objective) ?? gpuPoolObjective()
            let wantsTuned = named.contains("tuned") || (compare && goal != nil)
            let spec = gpuPool.spec.withDefaults()
            let warmupSeconds = try SimulationInputs.duration(warmup, option: "--warmup")
            let refitSeconds = try refit.map { text throws(SimulationInputs.Problem) in try SimulationInputs.duration(text, option: "--refit") }
            let reestimateSeconds = try SimulationInputs.duration(reestimate, option: "--reestimate")
            let source = try traceSource()
            defer { if source.temporary { try? FileManager.default.removeItem(atPath: source.path) } }
            let trace = source.path, origin = source.origin
            let startups = try SimulationInputs.startup(startup)
            let distribution = startups.phased?.total ?? startups.whole ?? .fixed(spec.effectiveStartupExpected.seconds)
            if FileManager.default.fileExists(atPath: trace) == false {
                throw OutputProblem(description: "\(trace): no such file")
            }
            let parsedTrace = try Trace(contentsOfFile: trace)
            let (workload, offset) = try SimulationInputs.workload(parsedTrace, file: trace)
            if warmupSeconds >= workload.duration {
                throw SimulationInputs.Problem(description: "--warmup \(warmup) covers the whole trace (\(String(format: "%.1f", workload.duration / 86_400)) days); nothing would be scored")
            }
            let traceStart = origin.addingTimeInterval(offset)
            var settings = try SimulationInputs.settings(of: spec)
            var replayed: [ReplayedSchedule] = []
            if let cronJobsFile, spec.effectiveCronJobDiscovery == .enabled {
                let cronJobs = try CronJobFile.load(cronJobsFile)
                let discovery = CronJobDiscovery(cronJobs: cronJobs, jobs: [], spec: spec, nodes: [])
                for skipped in discovery.invalid { FileHandle.standardError.write(Data("fleetcast simulate: skipped \(skipped)\n".utf8)) }
                settings.forecast.schedules += discovery.schedules.map(\.demand)
                if case .jobs(let list) = parsedTrace {
                    // The trace's own runs of those CronJobs teach their durations as the replay goes.
                    replayed = try TraceScheduleRuns.replayed(discovered: discovery.schedules, cronJobs: cronJobs, trace: list,
                                                              start: traceStart, file: trace)
                }
            }
            let schedules = settings.forecast.schedules
            var configured = settings.forecast
            configured.reestimationInterval = reestimateSeconds
            let forecastConfiguration = configured
            let learnedSchedules = replayed
            var setup = SimulationSetup(
                workload: workload, start: traceStart, planner: settings.planner, leadTime: settings.leadTime,
                startup: distribution, warmup: warmupSeconds, seed: seed,
                schedules: SimulationInputs.windows(schedules, replayed: replayed, over: DateInterval(start: traceStart, duration: workload.duration)),
                recordSteps: report != nil,
                makeForecastSource: { () -> any ForecastSource in
                    if learnedSchedules.isEmpty { return LearnedForecasts(configuration: forecastConfiguration, refitInterval: refitSeconds) }
                    return ReplayedScheduleForecasts(configuration: forecastConfiguration, replayed: learnedSchedules, refitInterval: refitSeconds)
                })
            if let phased = startups.phased { setup.usePhases(phased) }
            try addStandby(to: &setup, spec: spec)
            if !compare, requestedKinds.contains(.tiered), setup.planner.standby == nil {
                throw SimulationInputs.Problem(description: "policy tiered needs a standby tier: give --standby max=N or set spec.warmPool.standby")
            }
            let kinds = requestedKinds.filter { $0 != .tiered || setup.planner.standby != nil }

            let progress = SimulationProgress(enabled: isatty(STDERR_FILENO) == 1, total: kinds.count + (wantsTuned ? 1 : 0))
            let simulator = Simulator(setup: setup)
            var runs: [SimulationRun] = []
            for (index, kind) in kinds.enumerated() {
                runs.append(simulator.run(kind) { fraction in progress.update(policy: kind.rawValue, index: index, fraction: fraction) })
            }
            if compare, !schedules.isEmpty, let index = runs.firstIndex(where: { $0.result.policy == PolicyKind.predictive.rawValue }) {
                // The same planner and forecaster with every schedule left out of the forecast: what the schedules are worth.
                var unscheduled = setup, withoutSchedules = forecastConfiguration
                withoutSchedules.schedules = []
                unscheduled.makeForecastSource = { [withoutSchedules] in LearnedForecasts(configuration: withoutSchedules, refitInterval: refitSeconds) }
                var run = Simulator(setup: unscheduled).run(.predictive)
                run.result.policy = Self.unscheduledPolicy
                runs.insert(run, at: index + 1)
            }
            var frontier: (svg: String, caption: String)?
            if wantsTuned {
                guard let goal else {
                    throw SimulationInputs.Problem(description: "policy tuned needs an objective: give --objective served=0.999 or set spec.objective")
                }
                let tuned = try tunedRun(goal: goal, spec: gpuPool.spec, settings: settings, setup: setup) { fraction in
                    progress.update(policy: "tuned", index: kinds.count, fraction: fraction)
                }
                runs.append(tuned)
                if report != nil {
                    frontier = self.frontier(goal: goal, spec: gpuPool.spec, settings: settings, setup: setup, tuned: tuned)
                }
            }
            progress.finish()

            let ideal = setup.idealDemand.gpus
            var jobCount: Int?
            if case .jobs(let list) = parsedTrace { jobCount = list.jobs.count }
            let summary = SimulationReport(
                trace: Simulation.TraceSummary(
                    file: trace, format: jobCount == nil ? "demand" : "jobs", spanSeconds: workload.duration,
                    warmupSeconds: warmupSeconds, start: ISO8601DateFormatter().string(from: traceStart),
                    peakGPUs: ideal.max() ?? 0, meanGPUs: ideal.isEmpty ? 0 : ideal.reduce(0, +) / Double(ideal.count),
                    jobs: jobCount, startup: startups.phased?.description ?? distribution.description, seed: seed),
                pool: PoolSummary(
                    name: gpuPool.metadata.name ?? "", namespace: gpuPool.metadata.namespace, gpusPerNode: setup.planner.gpusPerNode,
                    minNodes: setup.planner.minNodes, maxNodes: setup.planner.maxNodes, hourlyCost: setup.planner.hourlyCost),
                results: runs.map(\.result))
            if let report { try write(summary, runs: runs, frontier: frontier, start: traceStart, to: report) }
            switch format {
            case .table: print(summary.table(), terminator: "")
            case .csv: print(summary.csv(), terminator: "")
            case .json:
                do {
                    print(try summary.json(), terminator: "")
                } catch {
                    throw OutputProblem(description: "cannot encode JSON: \(error)")
                }
            }
        }

        /// The standby tier of the tiered policy: `--standby` over `spec.warmPool.standby`, resumed in
        /// `--resume` (default the spec's prior, fixed), planned with the spec's resume prior and quantile.
        private func addStandby(to setup: inout SimulationSetup, spec: GPUPoolSpec) throws {
            let prior = spec.effectiveStandby?.effectiveResumeExpected.seconds ?? GPUPoolDefaults.resumeExpected.seconds
            let quantile = spec.effectiveStandby?.effectiveResumeQuantile ?? GPUPoolDefaults.resumeQuantile
            if let standby { setup.planner.standby = try StandbyArgument.parse(standby) }
            guard setup.planner.standby != nil else {
                if resume != nil { throw SimulationInputs.Problem(description: "--resume needs a standby tier: give --standby max=N or set spec.warmPool.standby") }
                return
            }
            setup.resumeEstimator = LeadTimeEstimator(prior: prior, quantile: quantile)
            setup.resume = try resume.map { text throws(SimulationInputs.Problem) in try SimulationInputs.startup(text, option: "--resume") } ?? .fixed(prior)
        }

        private func write(_ summary: SimulationReport, runs: [SimulationRun], frontier: (svg: String, caption: String)?, start: Date,
                           to directory: String) throws {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let html = summary.html(runs: runs, frontier: frontier)
                try html.write(toFile: (directory as NSString).appendingPathComponent("report.html"), atomically: true, encoding: .utf8)
                var csv = SimulationRun.stepCSVHeader + "\n"
                for run in runs { csv += run.stepCSVRows(start: start).joined(separator: "\n") + (run.steps.isEmpty ? "" : "\n") }
                try csv.write(toFile: (directory as NSString).appendingPathComponent("steps.csv"), atomically: true, encoding: .utf8)
            } catch {
                throw OutputProblem(description: "cannot write report to \(directory): \(error.localizedDescription)")
            }
        }
    }
}
