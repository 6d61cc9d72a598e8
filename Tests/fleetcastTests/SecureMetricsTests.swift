import FleetcastTesting
import Foundation
import Testing

/// `fleetcast operator --metrics-secure` against `fleetcast dev-cluster --authorize-rbac`, both as the
/// built binary, scraped by the real curl (libcurl) over loopback TLS: the API server decides every
/// scrape through TokenReview and SubjectAccessReview, with deploy/'s metrics-reader ClusterRole.
@Suite("fleetcast operator --metrics-secure", .serialized)
struct SecureMetricsTests {
    static let manifest = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: prometheus, namespace: monitoring}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: stranger, namespace: monitoring}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: prometheus-reads-fleetcast-metrics}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: fleetcast-metrics-reader}
        subjects: [{kind: ServiceAccount, name: prometheus, namespace: monitoring}]
        """

    @Test("a token bound to fleetcast-metrics-reader scrapes (200), another gets 403, none or an unknown one 401")
    func scrapesAreAuthenticatedAndAuthorizedByTheAPIServer() async throws {
        let curl = try #require(ToolRun.onPath("curl"), "curl not on PATH: run hack/install-deps.sh")
        let cluster = try DevClusterCommandTests.start(["dev-cluster", "--listen", "127.0.0.1:0", "--kubeconfig-out", "$DIR/kubeconfig",
                                                        "--authorize-rbac"])
        defer { cluster.process.terminate() }
        while !cluster.stdout.contains("\n") {
            guard cluster.process.isRunning else {
                Issue.record("dev-cluster exited: \(cluster.stderr)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let kubeconfig = cluster.directory.appendingPathComponent("kubeconfig").path
        let kubectl = ["--kubeconfig", kubeconfig, "--cache-dir", cluster.directory.appendingPathComponent("cache").path]
        let manifest = cluster.directory.appendingPathComponent("scrapers.yaml")
        try Self.manifest.write(to: manifest, atomically: true, encoding: .utf8)
        let reader = FleetcastBinary.repositoryRoot.appendingPathComponent("deploy/rbac/metrics-reader-clusterrole.yaml").path
        let (applied, applyOutput) = try await DevClusterCommandTests.kubectl(kubectl + ["apply", "-f", reader, "-f", manifest.path])
        try #require(applied == 0, "\(applyOutput)")
        func token(_ serviceAccount: String) async throws -> String {
            let (status, output) = try await DevClusterCommandTests.kubectl(kubectl + ["create", "token", serviceAccount, "-n", "monitoring"])
            try #require(status == 0, "\(output)")
            return output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let prometheus = try await token("prometheus"), stranger = try await token("stranger")

        let port = try OperatorMetricsTests.freePort()
        let operatorProcess = try DevClusterCommandTests.start([
            "operator", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:\(port)", "--metrics-secure",
            "--health-probe-bind-address", "0", "--sync-period-seconds", "1",
        ])
        defer { operatorProcess.process.terminate() }
        let body = cluster.directory.appendingPathComponent("scrape.txt").path
        /// The HTTP status of one scrape through curl (`-k`: the certificate is self-signed), or nil before
        /// the endpoint listens.
        func scrape(_ token: String?) async throws -> Int? {
            var arguments = ["-sS", "-k", "-o", body, "-w", "%{http_code}", "--max-time", "20", "https://127.0.0.1:\(port)/metrics"]
            if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
            let (status, output) = try await ToolRun.run(curl, arguments)
            return status == 0 ? Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
        }
        var allowed = try await scrape(prometheus)
        while allowed == nil {
            guard operatorProcess.process.isRunning else {
                Issue.record("operator exited: \(operatorProcess.stderr)")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
            allowed = try await scrape(prometheus)
        }
        #expect(allowed == 200, "\(operatorProcess.stderr)")
        let text = try String(contentsOfFile: body, encoding: .utf8)
        #expect(text.contains("fleetcast_build_info{"), "\(text)")
        #expect(try await scrape(prometheus) == 200, "a cached answer still allows")
        #expect(try await scrape(stranger) == 403)
        #expect(try String(contentsOfFile: body, encoding: .utf8).contains("user=system:serviceaccount:monitoring:stranger"))
        #expect(try await scrape(nil) == 401)
        #expect(try await scrape("not-a-token") == 401)

        // Plain HTTP is not served on the secure port.
        let (plainStatus, _) = try await ToolRun.run(curl, ["-sS", "-o", "/dev/null", "--max-time", "20", "http://127.0.0.1:\(port)/metrics"])
        #expect(plainStatus != 0)

        operatorProcess.process.terminate()
        #expect(await operatorProcess.exitStatus() == 0, "\(operatorProcess.stderr)")
    }
}
