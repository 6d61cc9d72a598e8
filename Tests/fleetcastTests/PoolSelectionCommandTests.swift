import Foundation
import Testing

/// Every command that reads one pool from `-f FILE` chooses it by the same rule (`PoolSelection`,
/// whose cases are tested in FleetcastCLITests), with the same messages and exit statuses.
@Suite("pool selection in every command")
struct PoolSelectionCommandTests {
    static func pool(_ name: String, max: Int = 10) -> String {
        """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata:
          name: \(name)
          namespace: default
        spec:
          nodes:
            selector: {matchLabels: {pool: \(name)}}
            gpusPerNode: 4
            max: \(max)
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: \(name)}
          demand:
            pods:
              selector: {matchLabels: {pool: \(name)}}
        """
    }

    /// The command lines, with FILE standing for the pool file; none gets as far as reading a trace or
    /// starting a cluster when the pool cannot be chosen.
    static let commands: [(executable: String, arguments: [String])] = [
        ("fleetcast", ["simulate", "--trace", "unused.csv", "-f", "FILE"]),
        ("fleetcast", ["forecast", "--trace", "unused.csv", "-f", "FILE"]),
        ("fleetcast-dev", ["demo", "-f", "FILE"]),
    ]

    /// (file, extra arguments, exit status, message)
    static let files: [(String, [String], Int32, String)] = [
        (pool("a") + "\n---\n" + pool("b"), [], 2, "pools.yaml: 2 GPUPools (a, b); choose one with --pool NAME"),
        (pool("a") + "\n---\n" + pool("b"), ["--pool", "c"], 2, "pools.yaml: no GPUPool named c (found: a, b)"),
        (pool("a") + "\n---\n" + pool("b", max: -1), ["--pool", "a"], 1, "pools.yaml:25: spec.nodes.max"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", [], 1, "pools.yaml: no GPUPool (fleetcast.dev/v1alpha1) document found"),
    ]

    @Test("the same file and flags give the same error in every command", arguments: 0..<commands.count, 0..<files.count)
    func sameRule(command: Int, file: Int) async throws {
        let (executable, arguments) = Self.commands[command]
        let (contents, extra, status, message) = Self.files[file]
        let directory = try FleetcastBinary.directory(with: ["pools.yaml": contents])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pools.yaml").path
        let binary = executable == "fleetcast" ? try FleetcastBinary.locate() : try FleetcastBinary.locateDevTools()
        let result = try await FleetcastBinary.run(arguments.map { $0 == "FILE" ? path : $0 } + extra, executable: binary)
        #expect(result.status == status, "\(arguments[0]): \(result.stderr)")
        #expect(result.stderr.contains(path.replacingOccurrences(of: "pools.yaml", with: "") + message),
                "\(arguments[0]): \(result.stderr)")
    }

    @Test("a missing pool file exits 2 naming it, in every command", arguments: 0..<commands.count)
    func missingFile(command: Int) async throws {
        let (executable, arguments) = Self.commands[command]
        let binary = executable == "fleetcast" ? try FleetcastBinary.locate() : try FleetcastBinary.locateDevTools()
        let result = try await FleetcastBinary.run(arguments.map { $0 == "FILE" ? "/nonexistent/pools.yaml" : $0 }, executable: binary)
        #expect(result.status == 2, "\(arguments[0]): \(result.stderr)")
        #expect(result.stderr.contains("/nonexistent/pools.yaml: cannot read: no such file or directory"), "\(arguments[0]): \(result.stderr)")
    }
}
