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
        let cluster = try await Self.startCluster(["--authorize-rbac"])
        defer { cluster.process.terminate() }
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

    @Test("--metrics-cert-dir serves the given certificate, which curl verifies; an unreadable directory exits 2")
    func servesTheGivenCertificate() async throws {
        let curl = try #require(ToolRun.onPath("curl"), "curl not on PATH: run hack/install-deps.sh")
        let openssl = try #require(ToolRun.onPath("openssl"), "openssl not on PATH")
        let cluster = try await Self.startCluster([])
        defer { cluster.process.terminate() }
        let kubeconfig = cluster.directory.appendingPathComponent("kubeconfig").path
        let certificates = cluster.directory.appendingPathComponent("certs")
        try FileManager.default.createDirectory(at: certificates, withIntermediateDirectories: true)
        let (made, madeOutput) = try await ToolRun.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=fleetcast-test",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", certificates.appendingPathComponent("tls.key").path,
            "-out", certificates.appendingPathComponent("tls.crt").path,
        ])
        try #require(made == 0, "\(madeOutput)")
        let admin = try String(contentsOfFile: kubeconfig, encoding: .utf8).split(separator: "\n")
            .first { $0.contains("token:") }.map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
        let token = try #require(admin)

        let port = try OperatorMetricsTests.freePort()
        let operatorProcess = try DevClusterCommandTests.start([
            "operator", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:\(port)", "--metrics-secure",
            "--metrics-cert-dir", certificates.path, "--health-probe-bind-address", "0",
        ])
        defer { operatorProcess.process.terminate() }
        // Verified against the given certificate (no -k): the operator serves exactly it.
        let arguments = ["-sS", "--cacert", certificates.appendingPathComponent("tls.crt").path, "-o", "/dev/null", "-w", "%{http_code}",
                         "--max-time", "20", "-H", "Authorization: Bearer \(token)", "https://127.0.0.1:\(port)/metrics"]
        var status = try await ToolRun.run(curl, arguments)
        while status.0 != 0 {
            guard operatorProcess.process.isRunning else {
                Issue.record("operator exited: \(operatorProcess.stderr)")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
            status = try await ToolRun.run(curl, arguments)
        }
        #expect(status.1.trimmingCharacters(in: .whitespacesAndNewlines) == "200", "\(status.1)")

        let missing = try DevClusterCommandTests.start([
            "operator", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:\(try OperatorMetricsTests.freePort())", "--metrics-secure",
            "--metrics-cert-dir", cluster.directory.appendingPathComponent("nowhere").path, "--health-probe-bind-address", "0",
        ])
        #expect(await missing.exitStatus() == 2)
        #expect(missing.stderr.contains("nowhere/tls.crt"), "\(missing.stderr)")
    }

    /// `fleetcast dev-cluster` on a free loopback port, once it has written its kubeconfig and banner.
    static func startCluster(_ extra: [String]) async throws -> DevClusterCommandTests.Started {
        let cluster = try DevClusterCommandTests.start(["dev-cluster", "--listen", "127.0.0.1:0", "--kubeconfig-out", "$DIR/kubeconfig"] + extra)
        do {
            try await cluster.waitForFirstLine()
        } catch {
            cluster.process.terminate()
            throw error
        }
        return cluster
    }
}
