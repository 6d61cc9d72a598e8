import FleetcastTesting
import Foundation
import Testing

/// `fleetcast operator` (the built binary) against `fleetcast dev-cluster` when things go wrong: a
/// kubeconfig that trusts the wrong authority, an API server that fails every request while the
/// operator is told to stop, and a lease the operator can no longer renew. The bounds passed to
/// `exitStatus(within:)` are hang guards with a wide margin over the designed behaviour (stated at
/// each), not performance claims; what is asserted is the outcome: the message, the exit status.
@Suite("fleetcast operator failures", .serialized)
struct OperatorFailureTests {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Sends a fault to the dev cluster's admin endpoint with kubectl.
    static func inject(_ json: String, kubectl: [String], directory: URL) async throws {
        let body = directory.appendingPathComponent("fault-\(UUID().uuidString).json")
        try json.write(to: body, atomically: true, encoding: .utf8)
        let (status, output) = try await DevClusterCommandTests.kubectl(kubectl + ["create", "--raw", "/fleetcast.dev/admin/faults", "-f", body.path])
        guard status == 0 else { throw Failure(description: "fault injection failed: \(output)") }
    }

    /// Waits (bounded only by the runner) until the process has written `text`, or has exited.
    static func waitFor(_ text: String, in process: DevClusterCommandTests.Started) async throws -> Bool {
        while !process.stderr.contains(text) {
            guard process.process.isRunning else { return process.stderr.contains(text) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    static func operatorArguments(_ kubeconfig: String, _ extra: [String] = []) -> [String] {
        ["operator", "--kubeconfig", kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", "0",
         "--sync-period-seconds", "1"] + extra
    }

    @Test("a wrong certificate authority is reported at once, in plain words")
    func wrongCertificateAuthority() async throws {
        let (cluster, kubeconfig, _) = try await DevClusterWithPool.start(OperatorMetricsTests.manifest)
        defer { cluster.process.terminate() }
        // Trust a freshly made authority instead of the cluster's.
        let key = cluster.directory.appendingPathComponent("other.key").path, cert = cluster.directory.appendingPathComponent("other.crt").path
        let (made, madeOutput) = try await ToolRun.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                                                          "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=other-ca"])
        try #require(made == 0, "\(madeOutput)")
        let otherCA = try Data(contentsOf: URL(fileURLWithPath: cert)).base64EncodedString()
        let original = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        let wrong = try #require(original.range(of: #"certificate-authority-data: \S+"#, options: .regularExpression))
        let wrongConfig = cluster.directory.appendingPathComponent("wrong-ca.kubeconfig").path
        try original.replacingCharacters(in: wrong, with: "certificate-authority-data: \(otherCA)").write(toFile: wrongConfig, atomically: true, encoding: .utf8)

        let operatorProcess = try DevClusterCommandTests.start(Self.operatorArguments(wrongConfig))
        defer { operatorProcess.process.terminate() }
        #expect(try await Self.waitFor("signed by unknown authority", in: operatorProcess), "\(operatorProcess.stderr)")
        #expect(operatorProcess.stderr.contains("retrying will not help"), "\(operatorProcess.stderr)")
        #expect(!operatorProcess.stderr.contains("EVP lib"))
        kill(operatorProcess.process.processIdentifier, SIGTERM)
        // Designed: exits within 5 s of SIGTERM. 60 s guards a hang.
        #expect(await operatorProcess.exitStatus(within: .seconds(60)) == 0, "\(operatorProcess.stderr)")
    }

    @Test("SIGTERM while every API request fails exits 0 after abandoning work and the lease release")
    func sigtermWhileTheAPIServerFails() async throws {
        let (cluster, kubeconfig, kubectl) = try await DevClusterWithPool.start(OperatorMetricsTests.manifest)
        defer { cluster.process.terminate() }
        let operatorProcess = try DevClusterCommandTests.start(Self.operatorArguments(kubeconfig, ["--leader-elect"]))
        defer { operatorProcess.process.terminate() }
        #expect(try await Self.waitFor("Scaled target", in: operatorProcess), "\(operatorProcess.stderr)")
        // Every request now fails with 503 after 2 s, so reconciles and the lease renewal are stuck in retries.
        try await Self.inject(#"{"action":"latency","milliseconds":2000}"#, kubectl: kubectl, directory: cluster.directory)
        try await Self.inject(#"{"action":"fail","code":503,"times":1000000}"#, kubectl: kubectl, directory: cluster.directory)
        try await Task.sleep(for: .seconds(1))
        kill(operatorProcess.process.processIdentifier, SIGTERM)
        // Designed: 3 s for in-flight work, then cancellation; the release is given 2 s. Before this
        // change the same run took 25 s or more. 15 s guards a hang with a wide margin for a loaded machine.
        #expect(await operatorProcess.exitStatus(within: .seconds(15)) == 0, "\(operatorProcess.stderr)")
    }

    @Test("a lease that cannot be renewed stops the process at once with exit 1")
    func leaseLossStopsTheProcess() async throws {
        let (cluster, kubeconfig, kubectl) = try await DevClusterWithPool.start(OperatorMetricsTests.manifest)
        defer { cluster.process.terminate() }
        let operatorProcess = try DevClusterCommandTests.start(Self.operatorArguments(kubeconfig, ["--leader-elect"]))
        defer { operatorProcess.process.terminate() }
        #expect(try await Self.waitFor("Acquired lease", in: operatorProcess), "\(operatorProcess.stderr)")
        try await Self.inject(#"{"action":"fail","code":503,"times":1000000,"pathContains":"/leases/"}"#, kubectl: kubectl, directory: cluster.directory)
        // Designed: the renewal gives up after the 10 s renew deadline and the process exits at once,
        // without trying to release a lease it no longer holds (before this change it lingered ~57 s
        // more, answering ok). 40 s guards a hang.
        #expect(await operatorProcess.exitStatus(within: .seconds(40)) == 1, "\(operatorProcess.stderr)")
        #expect(operatorProcess.stderr.contains("Leadership lost"), "\(operatorProcess.stderr)")
        #expect(!operatorProcess.stderr.contains("Released lease"))
    }
}
