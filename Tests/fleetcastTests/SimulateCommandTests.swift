import Foundation
import Testing

@Suite("fleetcast simulate (the built binary)")
struct SimulateCommandTests {
    static let pool = """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: tiny, namespace: default}
        spec:
          nodes:
            selector: {matchLabels: {pool: tiny}}
            gpusPerNode: 8
            max: 20
            hourlyCost: 10
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: tiny}
          demand:
            pods:
              selector: {matchLabels: {pool: tiny}}
          warmPool: {minIdleNodes: 0}
          startup: {expected: 2m}
          scaleDown: {stabilizationWindow: 0s, maxNodesPerStep: 2}

        """

    /// The six-minute series of the Simulation unit tests: 8, 8, 24, 24, 24, 8 GPUs.
    static let trace = "timestamp_seconds,gpus\n0,8\n60,8\n120,24\n180,24\n240,24\n300,8\n"

    static func files(trace: String = trace, pool: String = pool) throws -> URL {
        try FleetcastBinary.directory(with: ["pool.yaml": pool, "trace.csv": trace])
    }

    static func simulate(_ directory: URL, _ extra: [String]) async throws -> FleetcastBinary.Result {
        try await FleetcastBinary.run(["simulate", "-f", directory.appendingPathComponent("pool.yaml").path,
                                 "--trace", directory.appendingPathComponent("trace.csv").path] + extra)
    }

    static func results(_ json: String) throws -> [String: [String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: results.compactMap { row in (row["policy"] as? String).map { ($0, row) } })
    }

    @Test func jsonCarriesEveryMetricWithTheHandComputedValues() async throws {
        let directory = try Self.files()
        let run = try await Self.simulate(directory, ["--policy", "reactive,static,oracle", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)  // no progress bar when stderr is not a terminal
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["trace"] is [String: Any] && object["pool"] is [String: Any])
        let results = try Self.results(run.stdout)
        #expect(Set(results.keys) == ["reactive", "static", "oracle"])
        for row in results.values {
            for key in ["cost", "nodeHours", "gpuHoursProvisioned", "gpuHoursUsed", "utilization", "unmetGPUHours",
                        "servedFraction", "sloMinutesFraction", "coldStarts", "p95WaitSeconds", "scaleEvents"] {
                #expect(row[key] != nil, "missing \(key)")
            }
        }
        // Demand series have p95WaitSeconds too: reactive's 16 GPUs unmet for two minutes are more than
        // 5 % of the demanded GPU-time, so its p95 is the second minute's midpoint (90 s); the others serve all.
        #expect(abs((results["reactive"]?["p95WaitSeconds"] as? Double ?? -1) - 90) < 1e-9)
        #expect((results["static"]?["p95WaitSeconds"] as? Double) == 0)
        // Static: 3 nodes × 6 min at 10 per node-hour = 3. Oracle: (360 + 2·300) s = 0.2667 node-hours.
        #expect(abs((results["static"]?["cost"] as? Double ?? 0) - 3.0) < 1e-9)
        #expect(abs((results["oracle"]?["nodeHours"] as? Double ?? 0) - 960.0 / 3600) < 1e-9)
        #expect(abs((results["reactive"]?["unmetGPUHours"] as? Double ?? 0) - 1920.0 / 3600) < 1e-9)
    }

    @Test func sameSeedSameJSON() async throws {
        let directory = try Self.files(trace: "timestamp_seconds,gpus\n" + (0..<600).map { "\($0 * 60),\(($0 * 37) % 90)" }.joined(separator: "\n") + "\n")
        let arguments = ["--compare", "--startup", "lognormal:p50=3m,p90=9m", "--seed", "7", "--format", "json"]
        let first = try await Self.simulate(directory, arguments)
        let second = try await Self.simulate(directory, arguments)
        let other = try await Self.simulate(directory, arguments.map { $0 == "7" ? "8" : $0 })
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout != other.stdout)
    }

    @Test func startupInPhasesIsReportedAndReplayed() async throws {
        let directory = try Self.files()
        let run = try await Self.simulate(directory, ["--policy", "predictive,oracle", "--format", "json",
                                                      "--startup", "node=1m", "--startup", "imagepull=lognormal:p50=2m,p90=4m",
                                                      "--startup", "ModelLoad=30s"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let trace = try #require(report["trace"] as? [String: Any])
        #expect(trace["startup"] as? String == "node fixed 60s + ImagePull lognormal p50=120s p90=240s + ModelLoad fixed 30s")
        #expect(try Self.results(run.stdout)["predictive"] != nil)
    }

    /// A one-off window (issue #21) that no history shows: with --compare the predictive policy runs
    /// with and without the schedule in its forecast, and only the one that knows it is ready in time.
    @Test func compareShowsPredictiveWithAndWithoutSchedules() async throws {
        let pool = Self.pool + """
              schedules:
              - {name: launch, at: "2026-01-05T01:00:00Z", duration: 30m, gpus: 24}

            """
        let trace = "timestamp_seconds,gpus\n" + (0..<120).map { "\($0 * 60),\((60..<90).contains($0) ? 32 : 8)" }.joined(separator: "\n") + "\n"
        let directory = try Self.files(trace: trace, pool: pool)
        let run = try await Self.simulate(directory, ["--compare", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try Self.results(run.stdout)
        let told = try #require(results["predictive"]?["unmetGPUHours"] as? Double)
        let blind = try #require(results["predictive-unscheduled"]?["unmetGPUHours"] as? Double)
        #expect(told < blind, "with the schedule \(told), without \(blind)")
        #expect(told < 1e-9)
    }

    /// Issue #20: --standby gives the tiered row without editing the YAML; it reports the standby
    /// node-hours and resumes, and its cost counts the standby hours at a tenth of the node price.
    @Test func compareAddsTheTieredRowWithAStandbyTier() async throws {
        let trace = "timestamp_seconds,gpus\n" + (0..<120).map { "\($0 * 60),\($0 < 60 ? 8 : 40)" }.joined(separator: "\n") + "\n"
        let directory = try Self.files(trace: trace)
        let run = try await Self.simulate(directory, ["--compare", "--standby", "max=8,min=4", "--resume", "20s", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try Self.results(run.stdout)
        let tiered = try #require(results["tiered"])
        let standbyHours = try #require(tiered["standbyNodeHours"] as? Double)
        let nodeHours = try #require(tiered["nodeHours"] as? Double)
        #expect(standbyHours > 0)
        #expect((tiered["resumes"] as? Int ?? 0) > 0)
        #expect(abs((tiered["cost"] as? Double ?? 0) - (nodeHours + 0.1 * standbyHours) * 10) < 1e-6)
        #expect(results["predictive"]?["standbyNodeHours"] == nil)
        let plain = try await Self.simulate(directory, ["--compare", "--format", "csv"])
        #expect(!plain.stdout.contains("tiered") && !plain.stdout.contains("standbyNodeHours"))
    }

    /// --cronjobs (issue #21): the CronJobs the operator would discover become schedules of the replay;
    /// one whose schedule does not parse is named on stderr and skipped, never fatal.
    @Test func cronJobsFileIsDiscoveredAsTheOperatorWould() async throws {
        let cronJobs = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: batch/v1
              kind: CronJob
              metadata: {name: retrain, namespace: default}
              spec:
                schedule: "0 1 * * *"
                jobTemplate:
                  spec:
                    parallelism: 3
                    activeDeadlineSeconds: 1800
                    template:
                      metadata: {labels: {pool: tiny}}
                      spec:
                        restartPolicy: Never
                        containers:
                        - {name: train, image: trainer, resources: {requests: {nvidia.com/gpu: "8"}}}
            - apiVersion: batch/v1
              kind: CronJob
              metadata: {name: every-hour, namespace: default}
              spec:
                schedule: "@every 1h"
                jobTemplate:
                  spec:
                    template:
                      metadata: {labels: {pool: tiny}}
                      spec:
                        restartPolicy: Never
                        containers:
                        - {name: probe, image: probe, resources: {requests: {nvidia.com/gpu: "1"}}}

            """
        let trace = "timestamp_seconds,gpus\n" + (0..<120).map { "\($0 * 60),\((60..<90).contains($0) ? 32 : 8)" }.joined(separator: "\n") + "\n"
        let directory = try FleetcastBinary.directory(with: ["pool.yaml": Self.pool, "trace.csv": trace, "cronjobs.yaml": cronJobs])
        let run = try await Self.simulate(directory, ["--compare", "--format", "json", "--cronjobs", directory.appendingPathComponent("cronjobs.yaml").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.hasPrefix(#"fleetcast simulate: skipped CronJob default/every-hour: spec.schedule "@every 1h": "#), "\(run.stderr)")
        let results = try Self.results(run.stdout)
        let told = try #require(results["predictive"]?["unmetGPUHours"] as? Double)
        let blind = try #require(results["predictive-unscheduled"]?["unmetGPUHours"] as? Double)
        #expect(told < 1e-9 && blind > told, "with the CronJob \(told), without \(blind)")

        let broken = try await Self.simulate(directory, ["--cronjobs", directory.appendingPathComponent("trace.csv").path])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("trace.csv: no batch/v1 CronJob in the file"), "\(broken.stderr)")
    }

    /// The trace's `schedule` column (issue #21): the CronJob's prior is one hour, its runs in the trace
    /// last three. Day 0's window closes after the prior hour (the run has not completed yet); once it
    /// has, the replay's windows last three hours. The runs hold 1 GPU and the CronJob asks for 24, so
    /// the `scheduled` policy's 3 nodes show exactly when a window is open.
    @Test func traceScheduleColumnTeachesTheCronJobsDurationAsRunsComplete() async throws {
        let cronJobs = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: retrain, namespace: default}
            spec:
              schedule: "0 1 * * *"
              jobTemplate:
                spec:
                  parallelism: 3
                  template:
                    metadata: {labels: {pool: tiny}}
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: train, image: trainer, resources: {requests: {nvidia.com/gpu: "8"}}}

            """
        let runs = (0..<3).map { "\($0 * 86_400 + 3600),10800,1,retrain" }
        let trace = (["submit_seconds,duration_seconds,gpus,schedule", "0,60,1,", "30,60,1,team-b/other"] + runs).joined(separator: "\n") + "\n"
        let directory = try FleetcastBinary.directory(with: ["pool.yaml": Self.pool, "trace.csv": trace, "cronjobs.yaml": cronJobs])
        let report = directory.appendingPathComponent("report")
        let run = try await Self.simulate(directory, ["--policy", "scheduled", "--format", "json", "--report", report.path,
                                                      "--cronjobs", directory.appendingPathComponent("cronjobs.yaml").path])
        #expect(run.status == 0, "\(run.stderr)")
        let steps = try String(contentsOf: report.appendingPathComponent("steps.csv"), encoding: .utf8)
        var desired: [Int: Int] = [:]
        for line in steps.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if fields.first == "scheduled", let offset = Double(fields[1]), let nodes = Int(fields[6]) { desired[Int(offset)] = nodes }
        }
        func nodes(day: Int, minute: Int) -> Int? { desired[day * 86_400 + minute * 60] }
        #expect(nodes(day: 0, minute: 90) == 3)    // 01:30, the prior hour's window
        #expect(nodes(day: 0, minute: 150) == 1)   // 02:30: the prior window closed; the running job holds a node
        #expect(nodes(day: 1, minute: 150) == 3)   // 02:30 the next day: the first run (3 h) has completed
        #expect(nodes(day: 1, minute: 230) == 3)   // 03:50, still inside the learned 3 h
        #expect(nodes(day: 2, minute: 150) == 3)

        // Without the side file the tagged rows are plain demand and no window opens.
        let plain = try await Self.simulate(directory, ["--policy", "scheduled", "--format", "json"])
        #expect(plain.status == 0, "\(plain.stderr)")
    }

    @Test func setOverridesNestedFields() async throws {
        let directory = try Self.files()
        let base = try Self.results(try await Self.simulate(directory, ["--policy", "static", "--format", "json"]).stdout)
        let cheaper = try await Self.simulate(directory, ["--policy", "static", "--format", "json", "--set", "spec.nodes.hourlyCost=5"])
        #expect(cheaper.status == 0, "\(cheaper.stderr)")
        #expect(abs((try Self.results(cheaper.stdout)["static"]?["cost"] as? Double ?? 0) - 1.5) < 1e-9)
        #expect(abs((base["static"]?["cost"] as? Double ?? 0) - 3.0) < 1e-9)
        // A field the file does not have: the warm pool's cap appears under an existing object, and a new
        // object (budget) is created along the path.
        let budget = try await Self.simulate(directory, ["--policy", "predictive", "--format", "json",
                                                   "--set", "spec.budget.maxHourlyCost=10", "--set", "spec.warmPool.maxIdleNodes=3"])
        #expect(budget.status == 0, "\(budget.stderr)")
        // One node (10 per hour) is all the budget allows: the 24-GPU minutes go partly unmet.
        #expect((try Self.results(budget.stdout)["predictive"]?["unmetGPUHours"] as? Double ?? 0) > 0)
    }

    @Test(arguments: [
        (["--set", "spec.nodes.gpusPerNode=many"], "spec.nodes.gpusPerNode"),
        (["--set", "spec.scaleDown.maxNodesPerStep=0"], "spec.scaleDown.maxNodesPerStep"),
        (["--set", "nodes.max=3"], "must start with spec."),
        (["--startup", "lognormal:p50=9m,p90=2m"], "p90 must be at least p50"),
        (["--startup", "ImagePull=3m"], "phases need node=SPEC"),
        (["--startup", "node=1m", "--startup", "NodeReady=1m"], "NodeReady is part of the node start-up"),
        (["--startup", "5m", "--startup", "node=1m"], "not both"),
        (["--startup", "node=1m", "--startup", "ModelLoad=soon"], "--startup ModelLoad soon: not a duration"),
        (["--policy", "psychic"], "unknown policy"),
        (["--warmup", "30d"], "covers the whole trace"),
        (["--standby", "max=2,min=3"], "--standby max=2,min=3: max must be at least min (3)"),
        (["--standby", "percent=10"], "max=N is required"),
        (["--policy", "tiered"], "policy tiered needs a standby tier"),
        (["--resume", "35s"], "--resume needs a standby tier"),
        (["--standby", "max=4", "--resume", "lognormal:p50=1m,p90=30s"], "--resume lognormal:p50=1m,p90=30s: p90 must be at least p50"),
    ])
    func badOptionsExitOneNamingTheProblem(arguments: [String], message: String) async throws {
        let run = try await Self.simulate(try Self.files(), arguments)
        #expect(run.status == 1)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func badTraceLineIsReportedWithFileAndLine() async throws {
        let directory = try Self.files(trace: "timestamp_seconds,gpus\n0,8\n60,eight\n")
        let run = try await Self.simulate(directory, [])
        #expect(run.status == 1)
        #expect(run.stderr.contains("trace.csv:3"), "\(run.stderr)")
    }

    @Test func reportWritesHTMLWithChartsAndPerStepCSV() async throws {
        let directory = try Self.files()
        let reportDirectory = directory.appendingPathComponent("report")
        let run = try await Self.simulate(directory, ["--compare", "--report", reportDirectory.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("oracle"))
        let html = try String(contentsOf: reportDirectory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("predictive") && !html.contains("<script"))
        let csv = try String(contentsOf: reportDirectory.appendingPathComponent("steps.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first?.hasPrefix("policy,offset_seconds,timestamp,demand_gpus") == true)
        #expect(lines.count == 1 + 6 * 6)  // six policies (yesterday included), six one-minute steps
    }

    @Test func jobListsReportWaits() async throws {
        let directory = try Self.files(trace: "submit_seconds,duration_seconds,gpus,kind\n0,600,2,a\n60,120,8,b\n")
        let run = try await Self.simulate(directory, ["--policy", "reactive", "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "policy,cost,nodeHours,gpuHoursProvisioned,gpuHoursUsed,utilization,unmetGPUHours,servedFraction,sloMinutesFraction,coldStarts,p95WaitSeconds,scaleEvents")
        let fields = lines.dropFirst().first?.split(separator: ",", omittingEmptySubsequences: false) ?? []
        #expect(fields.count == 12)
        #expect(fields.first == "reactive")
        #expect(Double(fields[10]) ?? 0 > 0)  // the 8-GPU job waited for a node
    }
}
