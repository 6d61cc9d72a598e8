import Foundation
import Testing

/// `fleetcast operator --target-kubeconfig FILE [--target-context C]`: a management-cluster kubeconfig
/// that cannot be used is a plain error naming the flag, and a non-zero exit, before anything starts.
/// Every row also passes a workload `--kubeconfig` that does not exist, so an operator that wrongly
/// accepted the target flags would still exit (with the workload error, which the row does not expect)
/// instead of running.
@Suite struct OperatorTargetFlagsTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var files: [String: String]
        var status: Int32
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    /// A kubeconfig with one context, `management`, for a server nothing listens on (never contacted).
    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: management
          cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
        users:
        - name: fleetcast
          user: {token: abc}
        contexts:
        - name: management
          context: {cluster: management, user: fleetcast}
        current-context: management
        """

    static let rows: [Row] = [
        Row(arguments: ["--target-kubeconfig", "$DIR/missing.yaml"], files: [:], status: 2,
            message: "Error: kubeconfig $DIR/missing.yaml (from --target-kubeconfig) does not exist"),
        Row(arguments: ["--target-kubeconfig", "$DIR/garbage.yaml"], files: ["garbage.yaml": "clusters: 5\n"], status: 2,
            message: "Error: kubeconfig $DIR/garbage.yaml: "),
        Row(arguments: ["--target-kubeconfig", "$DIR/management.yaml", "--target-context", "nope"], files: ["management.yaml": kubeconfig],
            status: 2, message: #"Error: context "nope" (from --target-context) not found in $DIR/management.yaml"#),
        Row(arguments: ["--target-context", "management"], files: [:], status: 2,
            message: "Error: --target-context needs --target-kubeconfig"),
    ]

    @Test(arguments: rows)
    func unusableTargetKubeconfigIsAPlainError(_ row: Row) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleetcast-target-flags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in row.files { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let arguments = ["operator", "--kubeconfig", "$DIR/no-workload.yaml", "--metrics-bind-address", "0",
                         "--health-probe-bind-address", "0"] + row.arguments
        let result = try await FleetcastBinary.run(arguments.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) })
        #expect(result.status == row.status, "\(result.stderr)")
        #expect(result.stderr.contains(row.message.replacingOccurrences(of: "$DIR", with: directory.path)), "\(result.stderr)")
        #expect(!result.stderr.contains("no-workload.yaml"), "the workload kubeconfig was reached: \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
