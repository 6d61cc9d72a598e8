import Foundation
import Testing

/// `fleetcast forecast` end to end: the real binary on a generated trace.
@Suite struct ForecastCommandTests {
    /// Eight days of 5-minute samples with a daily sine, as a demand-series trace; `batch` adds 16 GPUs
    /// every day from 01:00 to 02:00, as the pool's declared schedule says.
    static func trace(batch: Bool = false) -> String {
        var lines = ["timestamp_seconds,gpus"]
        for index in 0..<(8 * 288) {
            let t = Double(index) * 300
            let hour = t.truncatingRemainder(dividingBy: 86_400) / 3600
            let extra = batch && hour >= 1 && hour < 2 ? 16.0 : 0
            lines.append("\(Int(t)),\(Int((60 + 30 * sin(2 * Double.pi * t / 86_400) + extra).rounded()))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let trace = trace()

    static let pool = """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: test, namespace: default}
        spec:
          nodes: {selector: {matchLabels: {pool: test}}, gpusPerNode: 8, max: 20}
          target: {apiVersion: apps/v1, kind: Deployment, name: placeholder}
          demand: {pods: {selector: {matchLabels: {pool: test}}}}
          forecast: {seasonalities: [24h], step: 10m, quantile: 0.9}
          schedules:
          - {name: batch, cron: "0 1 * * *", timeZone: UTC, duration: 1h, gpus: 16}
        """

    struct Document: Decodable {
        struct Point: Decodable { var t: Double; var mean: Double; var upper: Double }
        var model: String
        var origin: Double
        var step: Double
        var quantile: Double
        var ready: Bool
        var points: [Point]
    }

    @Test func printsTheForecastAsJSON() async throws {
        let directory = try FleetcastBinary.directory(with: ["trace.csv": Self.trace])
        let result = try await FleetcastBinary.run([
            "forecast", "--trace", directory.appendingPathComponent("trace.csv").path,
            "--at", "604900", "--horizon", "1h", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONDecoder().decode(Document.self, from: Data(result.stdout.utf8))
        #expect(document.origin == 604_800)
        #expect(document.step == 300)
        #expect(document.quantile == 0.95)
        #expect(document.ready)
        #expect(document.points.count == 13)
        for point in document.points {
            let truth = 60 + 30 * sin(2 * Double.pi * point.t / 86_400)
            #expect(abs(point.mean - truth) < 3, "t=\(point.t): \(point.mean) vs \(truth)")
            #expect(point.upper >= point.mean)
        }
    }

    @Test func takesStepQuantileAndSchedulesFromThePool() async throws {
        let directory = try FleetcastBinary.directory(with: ["trace.csv": Self.trace(batch: true), "pool.yaml": Self.pool])
        let result = try await FleetcastBinary.run([
            "forecast", "--trace", directory.appendingPathComponent("trace.csv").path,
            "-f", directory.appendingPathComponent("pool.yaml").path,
            "--at", "691200", "--horizon", "2h", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONDecoder().decode(Document.self, from: Data(result.stdout.utf8))
        #expect(document.step == 600)
        #expect(document.quantile == 0.9)
        #expect(document.points.count == 12)
        // Day 8 01:00–02:00 UTC carries the 16-GPU batch window on top of the learned ~68 GPUs (learned
        // without the past windows' 16 GPUs, so they are not counted twice).
        let inWindow = document.points.filter { $0.t >= 691_200 + 3600 && $0.t < 691_200 + 7200 }
        let before = document.points.filter { $0.t < 691_200 + 3600 }
        #expect(inWindow.count == 6)
        #expect(inWindow.allSatisfy { $0.mean > 75 })
        #expect(before.allSatisfy { $0.mean < 75 })
    }

    @Test func printsCSVAndATable() async throws {
        let directory = try FleetcastBinary.directory(with: ["trace.csv": Self.trace])
        let path = directory.appendingPathComponent("trace.csv").path
        let csv = try await FleetcastBinary.run(["forecast", "--trace", path, "--horizon", "30m", "--format", "csv"])
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "t,mean,upper")
        #expect(lines.count == 7)
        let table = try await FleetcastBinary.run(["forecast", "--trace", path, "--horizon", "30m"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("upper     "))
        #expect(table.stdout.contains("d8 00:00"))
    }

    @Test func backtestsEveryModel() async throws {
        let directory = try FleetcastBinary.directory(with: ["trace.csv": Self.trace])
        let result = try await FleetcastBinary.run([
            "forecast", "--trace", directory.appendingPathComponent("trace.csv").path,
            "--backtest", "--every", "6h", "--horizon", "1h", "--from", "1d", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable {
            struct Model: Decodable { var model: String; var points: Int; var coverage: Double?; var wape: Double? }
            var origins: Int
            var models: [Model]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.origins == 4)
        #expect(report.models.map(\.model) == ["auto", "profile", "regression", "holt-winters", "ensemble"])
        #expect(report.models.allSatisfy { $0.points == 4 * 12 && ($0.wape ?? 1) < 0.1 })
    }

    @Test(arguments: [
        (["--trace", "missing.csv"], Int32(2), "missing.csv"),
        (["--trace", "bad.csv"], Int32(1), "bad.csv:3:"),
        (["--trace", "trace.csv", "--quantile", "1.5"], Int32(2), "--quantile"),
        (["--trace", "trace.csv", "--horizon", "soon"], Int32(2), "horizon"),
        (["--trace", "trace.csv", "-f", "trace.csv"], Int32(1), "trace.csv"),
        // --pool names a pool in -f FILE; a file given to it (the old syntax) is a usage error saying so
        (["--trace", "trace.csv", "--pool", "trace.csv"], Int32(2), "give the file as -f"),
    ])
    func rejectsBadInput(arguments: [String], status: Int32, message: String) async throws {
        let directory = try FleetcastBinary.directory(with: [
            "trace.csv": Self.trace, "bad.csv": "timestamp_seconds,gpus\n0,1\n60,-4\n",
        ])
        let resolved = arguments.map { $0.hasSuffix(".csv") ? directory.appendingPathComponent($0).path : $0 }
        let result = try await FleetcastBinary.run(["forecast"] + resolved)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
