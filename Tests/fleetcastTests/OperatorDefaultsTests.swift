import Foundation
import Testing
@testable import fleetcast

/// The operator's secure defaults: unauthenticated endpoints on loopback unless configured, and a
/// warning for a kubeconfig that turns certificate verification off.
@Suite("fleetcast operator defaults", .serialized)
struct OperatorDefaultsTests {
    @Test func endpointsBindLoopbackUnlessConfigured() throws {
        let defaults = try OperatorCommand.parse([])
        #expect(defaults.metricsBindAddress.description == "127.0.0.1:8080")
        #expect(defaults.healthProbeBindAddress.description == "127.0.0.1:8081")
        let everywhere = try OperatorCommand.parse(["--metrics-bind-address", ":9090", "--health-probe-bind-address", ":9091"])
        #expect(everywhere.metricsBindAddress.description == "0.0.0.0:9090")
        #expect(everywhere.healthProbeBindAddress.description == "0.0.0.0:9091")
        #expect(try OperatorCommand.parse(["--metrics-bind-address", "0"]).metricsBindAddress.isDisabled)
    }

    /// The dev cluster's kubeconfig with its CA replaced by `insecure-skip-tls-verify: true`: the
    /// operator still works, and says at start that the server's certificate is not verified.
    @Test func insecureSkipTLSVerifyIsWarnedAbout() async throws {
        let (cluster, kubeconfig, _) = try await DevClusterWithPool.start(OperatorMetricsTests.manifest)
        defer { cluster.process.terminate() }
        let original = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        let ca = try #require(original.range(of: #"certificate-authority-data: \S+"#, options: .regularExpression))
        let insecure = cluster.directory.appendingPathComponent("insecure.kubeconfig").path
        try original.replacingCharacters(in: ca, with: "insecure-skip-tls-verify: true").write(toFile: insecure, atomically: true, encoding: .utf8)

        let operatorProcess = try DevClusterCommandTests.start(OperatorFailureTests.operatorArguments(insecure))
        defer { operatorProcess.process.terminate() }
        #expect(try await OperatorFailureTests.waitFor("Scaled target", in: operatorProcess), "\(operatorProcess.stderr)")
        let warnings = operatorProcess.stderr.split(separator: "\n").filter { $0.contains("warning") && $0.contains("insecure-skip-tls-verify") }
        #expect(warnings.count == 1, "\(operatorProcess.stderr)")
        kill(operatorProcess.process.processIdentifier, SIGTERM)
        // Designed: exits within 7 s of SIGTERM (3 s drain, 2 s history flush, 2 s lease release). 60 s guards a hang.
        #expect(await operatorProcess.exitStatus(within: .seconds(60)) == 0, "\(operatorProcess.stderr)")

        let status = try await FleetcastBinary.run(["status", "--kubeconfig", insecure, "-A"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stderr.contains("fleetcast status: warning: The kubeconfig sets insecure-skip-tls-verify"), "\(status.stderr)")
    }
}
