import Foundation
import Testing

/// Issue #18: extreme values on the command line and in traces end in a plain message and a
/// non-zero exit, never a trap, an abort or a hang. Each row reproduced a SIGILL, SIGABRT or hang
/// before the bounds existed.
@Suite struct ExtremeInputCommandTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var files: [String: String]
        var status: Int32
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let demand = "timestamp_seconds,gpus\n0,4\n60,8\n120,6\n"
    static let pool = """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: test, namespace: default}
        spec:
          nodes: {selector: {matchLabels: {pool: test}}, gpusPerNode: 8, max: 20}
          target: {apiVersion: apps/v1, kind: Deployment, name: placeholder}
          demand: {pods: {selector: {matchLabels: {pool: test}}}}
        """

    static let rows: [Row] = [
        Row(arguments: ["trace", "stats", "$DIR/t.csv"], files: ["t.csv": "timestamp_seconds,gpus\n0,1\n1e300,2\n"], status: 1,
            message: "t.csv:3: timestamp_seconds 1e300 is larger than the largest supported value"),
        Row(arguments: ["trace", "stats", "$DIR/t.csv"], files: ["t.csv": "submit_seconds,duration_seconds,gpus\n0,1e300,8\n"], status: 1,
            message: "t.csv:2: duration_seconds 1e300 is larger than the largest supported value"),
        Row(arguments: ["simulate", "-f", "$DIR/pool.yaml", "--trace", "$DIR/t.csv"],
            files: ["pool.yaml": pool, "t.csv": "timestamp_seconds,gpus\n0,1e30\n60,2\n"], status: 1,
            message: "t.csv:2: gpus 1e30 is larger than the largest supported value, 1000000"),
        Row(arguments: ["simulate", "-f", "$DIR/pool.yaml", "--trace", "$DIR/t.csv"],
            files: ["pool.yaml": pool, "t.csv": "timestamp_seconds,gpus\n0,1\n60,2\n599184000,3\n"], status: 1,
            message: "the simulator replays; cut it to the period to compare"),
        Row(arguments: ["simulate", "-f", "$DIR/pool.yaml", "--trace", "$DIR/t.csv", "--warmup", "1e300d"],
            files: ["pool.yaml": pool, "t.csv": demand], status: 1, message: "--warmup 1e300d: must be at most"),
        Row(arguments: ["forecast", "--trace", "$DIR/t.csv", "--at", "1e300"], files: ["t.csv": demand], status: 2,
            message: "--at must be a number of seconds between 0 and 3200000000"),
        Row(arguments: ["forecast", "--trace", "$DIR/t.csv", "--step", "1ns"], files: ["t.csv": demand], status: 2,
            message: "--step must be between 10s and 1d, got 1ns"),
        Row(arguments: ["forecast", "--trace", "$DIR/t.csv", "--horizon", "100000d"], files: ["t.csv": demand], status: 2,
            message: "--horizon must be between 1s and 366d, got 100000d"),
        Row(arguments: ["forecast", "--trace", "$DIR/t.csv", "--horizon", "300d", "--step", "10s"], files: ["t.csv": demand], status: 2,
            message: "more than 100000 forecast points"),
        Row(arguments: ["validate", "-f", "$DIR/pool.yaml"],
            files: ["pool.yaml": pool + "\n  forecast: {step: 1ns}\n"], status: 1,
            message: #"spec.forecast.step: Invalid value: "1ns": must be at least 10s"#),
        Row(arguments: ["validate", "-f", "$DIR/pool.yaml"],
            files: ["pool.yaml": pool.replacingOccurrences(of: "max: 20}", with: "max: 20, hourlyCost: 1e308}")], status: 1,
            message: "spec.nodes.hourlyCost: Invalid value: 1e+308: must be less than or equal to 100000"),
    ]

    @Test(arguments: rows)
    func anExtremeValueIsAPlainErrorNotACrash(_ row: Row) async throws {
        let directory = try FleetcastBinary.directory(with: row.files)
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = row.arguments.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) }
        let result = try await FleetcastBinary.run(arguments)
        #expect(result.status == row.status, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(row.message), "stderr: \(result.stderr)")
    }

    /// A sparse trace with a 19-year gap is summarised, not expanded minute by minute.
    @Test func traceStatsSummariseASparseTraceWithALongGap() async throws {
        let directory = try FleetcastBinary.directory(with: ["t.csv": "timestamp_seconds,gpus\n0,4\n60,8\n599184000,2\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await FleetcastBinary.run(["trace", "stats", directory.appendingPathComponent("t.csv").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("peak"), "\(result.stdout)")
    }
}
