import ArgumentParser
import FleetcastAPI
import FleetcastCLI
import Foundation
import PoolPolicy
import Simulation
import Traces
import Tuning

extension Fleetcast {
    struct Tune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tune",
            abstract: "Find the cheapest settings that meet a pool's objective by replaying a demand trace.",
            discussion: """
                Replays the trace through the production decision loop (the simulator's predictive policy) \
                once per setting, turning the knobs the pool leaves unset or at their default — \
                spec.forecast.quantile, spec.warmPool.minIdleNodes, .minIdlePercent, .learnedMaxPercent, \
                spec.scaleDown.stabilizationWindow, spec.startup.quantile — one at a time over a small grid, \
                round after round, at most --max-settings replays. The recommendation is the cheapest setting \
                that meets the objective on the worst scored day with a 25 % margin (0.999 served allows \
                0.075 % unmet on that day); when none does, the closest one. With 3 or more scored days the \
                margin (from -100 % to 90 %) and whether the worst day or all days together are judged are \
                chosen by backtest: each day held out in turn, the rule whose selections on the other days \
                met the objective on the held-out days (with a 25 % reserve) at the lowest cost. Forecasts are computed once per \
                forecast quantile and reused, so a search costs a few forecaster runs and many planner replays.

                The objective is --objective, else the pool's spec.objective: served=F (share of demanded \
                GPU-time served on ready capacity), wait=D (the wait waitQuantile of demanded GPU-time stays \
                within; an unmet GPU-second waits as long as its shortfall has lasted), waitQuantile=Q \
                (default 0.95). Scored: [--from, --to) of the trace (offsets such as 7d); before --from the \
                forecaster learns and one day is replayed unscored.

                Prints the cost-versus-served frontier of the settings tried (cheapest first; none of them \
                beaten on both cost and served share), the pool as written, the recommendation and the spec \
                fields to set. The trace must be a demand series (timestamp_seconds,gpus).

                Examples:
                  fleetcast tune -f pool.yaml --trace demand.csv --objective served=0.999 --startup lognormal:p50=6m,p90=12m
                  fleetcast tune -f pool.yaml --trace demand.csv --objective wait=2m --from 7d --to 14d --format json

                Exit codes: 0 success (also when no setting meets the objective: see "met"); 1 invalid input; \
                2 usage or I/O error.
                """
        )

        @Option(name: [.customShort("f"), .customLong("filename")], help: ArgumentHelp("The GPUPool YAML.", valueName: "pool.yaml"))
        var poolFile: String

        @Option(help: ArgumentHelp("The GPUPool to use when the file holds several.", valueName: "name"))
        var pool: String?

        @Option(help: ArgumentHelp("The demand series CSV (timestamp_seconds,gpus).", valueName: "file"))
        var trace: String

        @Option(help: ArgumentHelp("Objective: served=0.999, wait=2m, waitQuantile=0.95 (comma-separated or repeated). Default: the pool's spec.objective.", valueName: "key=value"))
        var objective: [String] = []

        @Option(name: .customLong("from"), help: ArgumentHelp("Score from this offset into the trace; before it the forecaster learns.", valueName: "duration"))
        var from: String = "7d"

        @Option(help: ArgumentHelp("Score up to this offset (default: the end of the trace).", valueName: "duration"))
        var to: String?

        @Option(help: ArgumentHelp("Node start-up time: a fixed duration or lognormal:p50=6m,p90=12m. Default: spec.startup.expected.", valueName: "spec"))
        var startup: String?

        @Option(help: ArgumentHelp("Seed for node start-up times.", valueName: "n"))
        var seed: UInt64 = 1

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a spec field first, e.g. spec.budget.maxHourlyCost=900. Repeatable.", valueName: "spec.path=value"))
        var overrides: [String] = []

        @Option(help: ArgumentHelp("Most settings to replay.", valueName: "n"))
        var maxSettings: Int = 80

        @Option(help: ArgumentHelp("Calendar instant of the trace's t = 0.", valueName: "iso8601"))
        var start: String = "2026-01-05T00:00:00Z"

        @Flag(help: "Also sweep predictive over a grid of its free knobs (forecast quantile x warm floor x 5m/15m stabilization) and the reference families over their own knob on the same days (reactive + a warm pool of k nodes, static k nodes, yesterday + a margin), and print each family's frontier.")
        var families = false

        @Option(help: ArgumentHelp("Write the frontiers (predictive's, and with --families the others') as an SVG chart to this file.", valueName: "file"))
        var svg: String?

        @Option(help: ArgumentHelp("Output format: table or json.", valueName: "format"))
        var format: Format = .table

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        func run() throws {
            do {
                try tune()
            } catch {
                throw ReplayInputFailure.exit(for: error, command: "tune") ?? error
            }
        }

        private func tune() throws {
            guard maxSettings >= 1 else { throw SimulationInputs.Problem(description: "--max-settings \(maxSettings): must be at least 1") }
            let parsedOverrides = try overrides.map { text throws(SpecOverride.Problem) in try SpecOverride(parsing: text) }
            let gpuPool = try PoolSelection.select(file: poolFile, name: pool, overrides: parsedOverrides)
            let spec = gpuPool.spec
            guard let goal = try ObjectiveArgument.parse(objective) ?? spec.objective.map({ TuningObjective(spec: $0) }) else {
                throw SimulationInputs.Problem(description: "no objective: give --objective served=0.999 (or wait=2m), or set spec.objective in \(poolFile)")
            }
            guard FileManager.default.fileExists(atPath: trace) else { throw Simulate.OutputProblem(description: "\(trace): no such file") }
            let parsed = try Trace(contentsOfFile: trace)
            guard case .demand = parsed else {
                throw SimulationInputs.Problem(description: "\(trace): tuning replays a demand series (timestamp_seconds,gpus); this is a job list")
            }
            let (workload, offset) = try SimulationInputs.workload(parsed, file: trace)
            guard case .demand(let demand) = workload else { return }
            let scoreFrom = try SimulationInputs.duration(from, option: "--from")
            let scoreTo = try to.map { text throws(SimulationInputs.Problem) in try SimulationInputs.duration(text, option: "--to") } ?? workload.duration
            guard scoreFrom < min(scoreTo, workload.duration) else {
                throw SimulationInputs.Problem(description: "--from \(from) must be before --to and inside the trace (\(String(format: "%.1f", workload.duration / 86_400)) days)")
            }
            let settings = try SimulationInputs.settings(of: spec)
            let distribution = try startup.map { text throws(SimulationInputs.Problem) in try SimulationInputs.startup(text) }
                ?? .fixed(spec.withDefaults().effectiveStartupExpected.seconds)
            let origin = try SimulationInputs.instant(start).addingTimeInterval(offset)
            let history = TuningHistory(demand: demand, start: origin, replayFrom: max(0, scoreFrom - 86_400), scoreFrom: scoreFrom, scoreTo: scoreTo)
            var evaluator = ReplayEvaluator(history: history, base: settings, startup: distribution, seed: seed, waitQuantile: goal.waitQuantile)
            let search = TuningSearch(objective: goal, free: spec.tunableKnobs, maxSettings: maxSettings)
            let cpu = ProcessCPU.seconds()
            let outcome = search.run(&evaluator)
            let tuningCPU = ProcessCPU.seconds() - cpu
            var points = outcome.points
            if families {
                points += evaluator.sweepPredictive(from: outcome.baseline.knobs, free: search.free)
                points += evaluator.sweepReferenceFamilies()
            }
            var report = TuneReport(pool: gpuPool.metadata.name ?? "", trace: trace, spec: spec, outcome: outcome,
                                    scoredDays: history.scoredDays, cpuSeconds: tuningCPU)
            if families { report.families = PolicyFamily.allCases.flatMap { family in FamilyPoint.frontier(points.filter { $0.family == family }) } }
            if let svg {
                let title = "\((trace as NSString).lastPathComponent): cost versus served, \(String(format: "%.0f", history.scoredDays)) days"
                do {
                    try FrontierChart.svg(points, title: title, target: goal.servedFraction).write(toFile: svg, atomically: true, encoding: .utf8)
                } catch {
                    throw Simulate.OutputProblem(description: "cannot write \(svg): \(error.localizedDescription)")
                }
            }
            switch format {
            case .table: print(report.table(), terminator: "")
            case .json:
                do {
                    print(try report.json(), terminator: "")
                } catch {
                    throw Simulate.OutputProblem(description: "cannot encode JSON: \(error)")
                }
            }
        }
    }
}

/// CPU time this process has used (user + system), for the tuning cost reports.
enum ProcessCPU {
    static func seconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
