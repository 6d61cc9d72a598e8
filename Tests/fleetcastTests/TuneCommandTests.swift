import Foundation
import Testing

@Suite("fleetcast tune and simulate's tuned row (the built binary)")
struct TuneCommandTests {
    static let pool = """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: tuned, namespace: default}
        spec:
          nodes:
            selector: {matchLabels: {pool: tuned}}
            gpusPerNode: 8
            max: 30
            hourlyCost: 10
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: tuned}
          demand:
            pods:
              selector: {matchLabels: {pool: tuned}}
          forecast: {seasonalities: [24h], history: 48h, step: 5m}
          startup: {expected: 6m}
          warmPool: {minIdlePercent: 5}
          objective: {servedFraction: 0.99}

        """

    /// Three days per minute: a daily wave between 20 and 100 GPUs with a 30-GPU burst each afternoon.
    static let trace: String = {
        var lines = ["timestamp_seconds,gpus"]
        for minute in 0..<(3 * 1440) {
            let phase = Double(minute % 1440) / 1440
            let burst = (minute % 1440) >= 900 + 37 * (minute / 1440) && (minute % 1440) < 920 + 37 * (minute / 1440) ? 30.0 : 0
            lines.append("\(minute * 60),\(Int((60 - 40 * cos(2 * Double.pi * phase) + burst).rounded()))")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static func files(pool: String = pool, trace: String = trace) throws -> URL {
        try FleetcastBinary.directory(with: ["pool.yaml": pool, "trace.csv": trace])
    }

    static func run(_ command: String, _ directory: URL, _ extra: [String]) async throws -> FleetcastBinary.Result {
        try await FleetcastBinary.run([command, "-f", directory.appendingPathComponent("pool.yaml").path,
                                       "--trace", directory.appendingPathComponent("trace.csv").path] + extra)
    }

    @Test func tunePrintsTheFrontierAndTheRecommendation() async throws {
        let directory = try Self.files()
        let run = try await Self.run("tune", directory, ["--from", "1d", "--max-settings", "8", "--startup", "6m", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((object["settingsTried"] as? Int).map { $0 >= 2 && $0 <= 8 } == true)
        // The user set minIdlePercent, so it is not among the tuned knobs and never changes.
        let tuned = try #require(object["tunedKnobs"] as? [String])
        #expect(!tuned.contains("minIdlePercent") && tuned.contains("forecastQuantile"))
        let frontier = try #require(object["frontier"] as? [[String: Any]])
        #expect(!frontier.isEmpty)
        let costs = frontier.compactMap { $0["cost"] as? Double }
        #expect(costs == costs.sorted())
        for row in frontier { #expect((row["knobs"] as? [String: Any])?["minIdlePercent"] as? Int == 5) }
        let recommended = try #require(object["recommended"] as? [String: Any])
        #expect(recommended["worstDayServedFraction"] is Double)
        let objective = try #require(object["objective"] as? [String: Any])
        #expect(objective["servedFraction"] as? Double == 0.99)

        let table = try await Self.run("tune", directory, ["--from", "1d", "--max-settings", "4", "--startup", "6m", "--objective", "wait=3m"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("objective: p95 wait≤180s on the worst day, margin 25 %"))
        #expect(table.stdout.contains("cost versus served"))
        #expect(table.stdout.contains("recommended: cost"))
    }

    @Test(arguments: [
        (["--objective", "served=1.5"], "--objective served=1.5: served must be greater than 0 and less than 1"),
        (["--objective", "waitQuantile=0.9"], "--objective waitQuantile=0.9: waitQuantile needs wait"),
        (["--objective", "speed=3"], "unknown key speed"),
        (["--from", "5d"], "--from 5d must be before --to and inside the trace (3.0 days)"),
        (["--max-settings", "0"], "--max-settings 0: must be at least 1"),
    ])
    func badInputIsRefusedWithTheOption(arguments: [String], message: String) async throws {
        let run = try await Self.run("tune", try Self.files(), arguments)
        #expect(run.status == 1)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func tuneNeedsAnObjectiveAndADemandSeries() async throws {
        let noObjective = try Self.files(pool: Self.pool.replacingOccurrences(of: "  objective: {servedFraction: 0.99}\n", with: ""))
        let run = try await Self.run("tune", noObjective, [])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no objective: give --objective served=0.999"))
        let jobs = try Self.files(trace: "submit_seconds,duration_seconds,gpus\n0,600,8\n60,600,8\n")
        let jobRun = try await Self.run("tune", jobs, [])
        #expect(jobRun.status == 1)
        #expect(jobRun.stderr.contains("tuning replays a demand series"))
    }

    @Test func compareAddsACausallyTunedRow() async throws {
        let directory = try Self.files()
        let report = directory.appendingPathComponent("report")
        let run = try await Self.run("simulate", directory, ["--compare", "--warmup", "2d", "--startup", "6m", "--tune-max-settings", "6", "--format", "json",
                                                             "--report", report.path])
        #expect(run.status == 0, "\(run.stderr)")
        // The HTML report draws the frontier (FrontierChart): one polyline per family, the tuned row as a diamond.
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        let frontier = try #require(html.range(of: "<h2 id=\"frontier\">").map { String(html[$0.lowerBound...]) })
        #expect(frontier.contains("<polyline fill=\"none\" stroke=\"#1f77b4\""))
        #expect(frontier.contains("<polyline fill=\"none\" stroke=\"#d62728\""))
        #expect(frontier.contains("<title>tuned (rolling)</title>"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["policy"] as? String } == ["predictive", "reactive", "static", "scheduled", "yesterday", "oracle", "tuned"])
        let tuned = try #require(results.last)
        #expect((tuned["servedFraction"] as? Double).map { $0 > 0 && $0 <= 1 } == true)
        #expect(tuned["p95WaitSeconds"] is Double)

        let jobs = try Self.files(trace: "submit_seconds,duration_seconds,gpus\n0,600,8\n60,600,8\n")
        let jobRun = try await Self.run("simulate", jobs, ["--policy", "reactive,tuned"])
        #expect(jobRun.status == 1)
        #expect(jobRun.stderr.contains("policy tuned replays demand series only"))
    }

    /// Without the tuned row there is nothing to put on the frontier, and the report has none.
    @Test func aReportWithoutTuningHasNoFrontier() async throws {
        let directory = try Self.files()
        let report = directory.appendingPathComponent("report")
        let run = try await Self.run("simulate", directory, ["--policy", "predictive,reactive", "--warmup", "2d", "--startup", "6m", "--report", report.path])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<h2>Metrics</h2>"))
        #expect(!html.contains("id=\"frontier\""))
    }
}
