import FleetcastTesting
import Foundation
import Testing

/// The command line against a real Prometheus: `trace export` writes what `simulate --prometheus`
/// replays, and the operator binary's own metrics, scraped by Prometheus, can be queried back.
@Suite("Prometheus on the command line", .serialized)
struct PrometheusCommandTests {
    static let week: TimeInterval = 7 * 86_400
    static let anchor = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / week).rounded(.down) * week - 2 * week)
    static let poolYAML = """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: serving, namespace: gpu}
        spec:
          nodes: {selector: {matchLabels: {pool: serving}}, gpusPerNode: 8, max: 80, hourlyCost: 20}
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: serving}
          demand: {pods: {selector: {matchLabels: {app: llm}}}}
          forecast: {seasonalities: [24h], history: 48h}
          warmPool: {minIdleNodes: 1}
        """

    /// (b) `simulate --prometheus` over three days gives the same results as `simulate --trace` on the
    /// CSV `trace export` wrote for the same range, and the export holds the trace's values.
    @Test func simulateFromPrometheusMatchesTheExportedTrace() async throws {
        let trace = try TestResources.trace("servegen_m_small_gpus_1min.csv", packageRoot: FleetcastBinary.repositoryRoot)
        let prometheus = try await PrometheusServer.start(blocks: try await TraceBlocks.blocks(trace: trace, anchor: Self.anchor, days: 14))
        defer { prometheus.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = directory.appendingPathComponent("pool.yaml"), exported = directory.appendingPathComponent("export.csv")
        try Self.poolYAML.write(to: pool, atomically: true, encoding: .utf8)
        let from = String(Int(Self.anchor.timeIntervalSince1970)), to = String(Int(Self.anchor.timeIntervalSince1970 + 3 * 86_400))

        let export = try await FleetcastBinary.run(["trace", "export", "--prometheus", prometheus.url, "--query", TraceBlocks.query,
                                                    "--from", from, "--to", to, "-o", exported.path])
        try #require(export.status == 0, "\(export.stderr)")
        let rows = try String(contentsOf: exported, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "timestamp_seconds,gpus")
        let threeDaysOfMinutes = 3 * 1440 + 1
        #expect(rows.count == 1 + threeDaysOfMinutes)
        let expected = try TraceBlocks.rows(trace: trace, days: 4).prefix(3 * 1440 + 1)
        let parsed: [(Double, Double)] = rows.dropFirst().map { row in
            let cells = row.split(separator: ",")
            return (Double(cells[0]) ?? .nan, Double(cells[1]) ?? .nan)
        }
        let mismatches = zip(parsed, expected).filter { exported, original in exported.0 != original.0 || exported.1 != original.1 }
        #expect(mismatches.isEmpty, "first mismatch (exported, trace): \(String(describing: mismatches.first))")

        let start = ISO8601DateFormatter().string(from: Self.anchor)
        let fromCSV = try await FleetcastBinary.run(["simulate", "-f", pool.path, "--trace", exported.path, "--start", start,
                                                     "--compare", "--format", "json"])
        try #require(fromCSV.status == 0, "\(fromCSV.stderr)")
        let fromPrometheus = try await FleetcastBinary.run(["simulate", "-f", pool.path, "--prometheus", prometheus.url, "--query", TraceBlocks.query,
                                                            "--from", from, "--to", to, "--compare", "--format", "json"])
        try #require(fromPrometheus.status == 0, "\(fromPrometheus.stderr)")
        let csvResults = try #require(try JSONSerialization.jsonObject(with: Data(fromCSV.stdout.utf8)) as? [String: Any])
        let promResults = try #require(try JSONSerialization.jsonObject(with: Data(fromPrometheus.stdout.utf8)) as? [String: Any])
        #expect((csvResults["results"] as? [Any])?.count == 6, "every policy compared")
        let a = try JSONSerialization.data(withJSONObject: csvResults["results"] ?? [], options: [.sortedKeys])
        let b = try JSONSerialization.data(withJSONObject: promResults["results"] ?? [], options: [.sortedKeys])
        #expect(a == b, "simulate --trace and --prometheus differ:\n\(fromCSV.stdout)\n\(fromPrometheus.stdout)")

        // `forecast --prometheus` learns what `forecast --trace` learns from the same samples as a CSV
        // with absolute times: the same model and points.
        let absolute = directory.appendingPathComponent("absolute.csv")
        try TraceBlocks.csv(rows: Array(expected), anchor: Self.anchor).write(to: absolute, atomically: true, encoding: .utf8)
        let viaTrace = try await FleetcastBinary.run(["forecast", "--trace", absolute.path, "-f", pool.path, "--at", to, "--format", "json"])
        try #require(viaTrace.status == 0, "\(viaTrace.stderr)")
        let viaPrometheus = try await FleetcastBinary.run(["forecast", "--prometheus", prometheus.url, "--query", TraceBlocks.query,
                                                           "--to", to, "-f", pool.path, "--format", "json"])
        try #require(viaPrometheus.status == 0, "\(viaPrometheus.stderr)")
        struct Rendered: Decodable, Equatable {
            struct Point: Decodable, Equatable { var t: Double; var mean: Double; var upper: Double }
            var model: String
            var ready: Bool
            var points: [Point]
        }
        let traceForecast = try JSONDecoder().decode(Rendered.self, from: Data(viaTrace.stdout.utf8))
        let prometheusForecast = try JSONDecoder().decode(Rendered.self, from: Data(viaPrometheus.stdout.utf8))
        #expect(!traceForecast.points.isEmpty)
        #expect(traceForecast == prometheusForecast, "\(viaTrace.stdout)\n\(viaPrometheus.stdout)")

        // A query Prometheus rejects is an error naming Prometheus's words, exit 1.
        let broken = try await FleetcastBinary.run(["trace", "export", "--prometheus", prometheus.url, "--query", "sum(",
                                                    "--from", from, "--to", to, "-o", exported.path])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("bad_data"), "\(broken.stderr)")
    }

    /// The same Prometheus scrapes the operator's /metrics, and a query over Fleetcast's own metrics
    /// returns the pool's series (the operator also reads that Prometheus for the pool's history).
    @Test func prometheusScrapesTheOperatorAndReturnsThePoolsSeries() async throws {
        let cluster = try DevClusterCommandTests.start(["dev-cluster", "--listen", "127.0.0.1:0", "--kubeconfig-out", "$DIR/kubeconfig"])
        defer { cluster.process.terminate() }
        try await cluster.waitForFirstLine()
        let kubeconfig = cluster.directory.appendingPathComponent("kubeconfig").path
        let manifest = cluster.directory.appendingPathComponent("pool.yaml")
        let selector = "      selector: {matchLabels: {app: train}}\n"
        try #require(OperatorMetricsTests.manifest.contains(selector))
        let withPrometheus = OperatorMetricsTests.manifest.replacingOccurrences(
            of: selector, with: selector + "    prometheus:\n      query: 'sum(fleetcast_pool_demand_gpus{gpupool=\"a100\"})'\n")
        try withPrometheus.write(to: manifest, atomically: true, encoding: .utf8)
        let kubectl = ["--kubeconfig", kubeconfig, "--cache-dir", cluster.directory.appendingPathComponent("cache").path]
        let (applied, applyOutput) = try await DevClusterCommandTests.kubectl(kubectl + ["apply", "-f", manifest.path])
        try #require(applied == 0, "\(applyOutput)")

        let metricsPort = try LoopbackPort.free()
        let prometheus = try await PrometheusServer.start(scrapeTargets: ["127.0.0.1:\(metricsPort)"], scrapeInterval: "1s")
        defer { prometheus.stop() }
        let operatorProcess = try DevClusterCommandTests.start([
            "operator", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:\(metricsPort)",
            "--health-probe-bind-address", "0", "--sync-period-seconds", "1", "--prometheus-url", prometheus.url,
            "--prometheus-timeout", "5s",
        ])
        defer { operatorProcess.process.terminate() }

        // Bounded by the deadline only so a hang fails; normally the first scrapes after a reconcile do.
        let deadline = Date().addingTimeInterval(90)
        var answer = ""
        while Date() < deadline {
            guard operatorProcess.process.isRunning else {
                Issue.record("operator exited: \(operatorProcess.stderr)")
                return
            }
            answer = (try? await prometheus.get("/api/v1/query?query=fleetcast_pool_desired_nodes%7Bgpupool%3D%22a100%22%7D")) ?? ""
            if answer.contains(#""gpupool":"a100""#) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(answer.contains(#""gpupool":"a100""#) && answer.contains(#""namespace":"gpu""#), "\(answer)\n\(prometheus.logText)")
        #expect(answer.contains(#""2"]"#), "desired nodes 2 (spec.nodes.min): \(answer)")
        let queries = try await prometheus.get("/api/v1/query?query=fleetcast_prometheus_queries_total%7Bgpupool%3D%22a100%22%7D")
        #expect(queries.contains(#""query":"history""#), "\(queries)")
        let (_, condition) = try await DevClusterCommandTests.kubectl(kubectl + [
            "get", "gpupool", "a100", "-n", "gpu", "-o", #"jsonpath={.status.conditions[?(@.type=="HistoryAvailable")].reason}"#])
        #expect(["EmptyResult", "HistoryBackfilled"].contains(condition.trimmingCharacters(in: .whitespacesAndNewlines)), "\(condition)")
    }
}
