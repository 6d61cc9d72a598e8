import FleetcastTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `fleetcast operator` against `fleetcast dev-cluster`, both as the built binary: the operator
/// reconciles a pool, `/metrics` is scraped over HTTP, `promtool check metrics` finds no problem in
/// it, the per-pool series carry the values status reports, and they go when the pool is deleted.
@Suite("fleetcast operator /metrics", .serialized)
struct OperatorMetricsTests {
    static let manifest = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: gpu}
        ---
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: MachineDeployment
        metadata: {name: a100, namespace: gpu}
        spec: {clusterName: dev, replicas: 0}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: train-0, namespace: gpu, labels: {app: train}}
        spec:
          containers:
          - name: main
            image: trainer
            resources: {requests: {nvidia.com/gpu: "4"}, limits: {nvidia.com/gpu: "4"}}
        ---
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: a100, namespace: gpu}
        spec:
          nodes:
            selector: {matchLabels: {fleetcast.dev/pool: a100}}
            gpusPerNode: 8
            min: 2
            max: 10
            hourlyCost: 12.5
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: a100}
          demand:
            pods:
              selector: {matchLabels: {app: train}}
          startup: {expected: 9m}
        """

    @Test("metrics pass promtool and show the reconciled pool; a deleted pool's series go")
    func metricsPassPromtoolAndFollowThePool() async throws {
        let promtool = try #require(ToolRun.onPath("promtool"), "promtool not on PATH: run hack/install-deps.sh (Debian package prometheus)")
        let (cluster, kubeconfig, kubectl) = try await DevClusterWithPool.start(Self.manifest)
        defer { cluster.process.terminate() }

        let port = try Self.freePort()
        let operatorProcess = try DevClusterCommandTests.start([
            "operator", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:\(port)",
            "--health-probe-bind-address", "0", "--sync-period-seconds", "1", "--log-format", "json",
        ])
        defer { operatorProcess.process.terminate() }
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/metrics"))

        // Wait until the pool has been reconciled and scaled, and that reconcile has returned (its
        // duration is observed after the gauges and counters are set).
        var text = ""
        try await waitUntil("the pool's gauges and a finished reconcile on /metrics", every: .milliseconds(100)) {
            guard operatorProcess.process.isRunning else { return true }
            text = (try? await Self.get(url)) ?? ""
            return text.contains("fleetcast_pool_desired_nodes{") && text.contains("fleetcast_scale_actions_total{")
                && (Self.parse(text)["fleetcast_reconcile_duration_seconds_count"] ?? 0) >= 1
        }
        guard operatorProcess.process.isRunning else {
            Issue.record("operator exited: \(operatorProcess.stderr)")
            return
        }

        let scrape = cluster.directory.appendingPathComponent("metrics.txt")
        try text.write(to: scrape, atomically: true, encoding: .utf8)
        let (lintStatus, lintOutput) = try await ToolRun.run(promtool, ["check", "metrics"], stdin: scrape)
        #expect(lintStatus == 0, "promtool check metrics:\n\(lintOutput)")
        #expect(lintOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(lintOutput)")

        let series = Self.parse(text)
        let pool = #"namespace="gpu",gpupool="a100""#
        #expect(series["fleetcast_pool_demand_gpus{\(pool)}"] == 4)
        #expect(series["fleetcast_pool_pending_gpus{\(pool)}"] == 4)
        #expect(series["fleetcast_pool_desired_nodes{\(pool)}"] == 2)
        #expect(series["fleetcast_pool_ready_nodes{\(pool)}"] == 0)
        #expect(series["fleetcast_pool_starting_nodes{\(pool)}"] == 0)
        #expect(series["fleetcast_pool_idle_nodes{\(pool)}"] == 0)
        #expect(series["fleetcast_pool_lead_time_seconds{\(pool)}"] == 540)
        #expect(series["fleetcast_pool_hourly_cost{\(pool)}"] == 0)
        #expect(series["fleetcast_pool_forecast_peak_gpus{\(pool)}"] != nil)
        #expect(series["fleetcast_pool_gpus_per_node{\(pool)}"] == 8)
        #expect(series["fleetcast_pool_warm_nodes{\(pool)}"] == 0)
        #expect(series["fleetcast_pool_forecast_ready{\(pool)}"] == 0, "a pool without history has no ready forecast")
        #expect(series["fleetcast_pool_forecast_fitted_timestamp_seconds{\(pool)}"] ?? 0 > 1_700_000_000)
        #expect(series["fleetcast_pool_forecast_mean_gpus{\(pool)}"] != nil && series["fleetcast_pool_forecast_upper_gpus{\(pool)}"] != nil)
        #expect(series.keys.filter { $0.hasPrefix("fleetcast_pool_plan_reason{") }.count == 1, "\(text)")
        let buildInfo = series.keys.filter { $0.hasPrefix("fleetcast_build_info{") }
        #expect(buildInfo.count == 1 && buildInfo.first.map { $0.contains(#"version="0.1.0""#) && $0.contains("commit=\"")
                                                                   && $0.contains("swift_version=\"6.") } == true, "\(buildInfo)")
        #expect(series["fleetcast_scale_actions_total{\(pool),direction=\"up\",reason=\"ScaleUpToMinimum\"}"] == 1, "\(text)")
        #expect((series["fleetcast_reconcile_duration_seconds_count"] ?? 0) >= 1)
        #expect((series[#"fleetcast_kube_api_request_duration_seconds_count{verb="PATCH",code="200"}"#] ?? 0) >= 1)
        #expect(text.contains("# HELP fleetcast_pool_demand_gpus "))

        // The status the operator wrote says the same as the gauges.
        let (_, desired) = try await DevClusterCommandTests.kubectl(kubectl + ["get", "gpupool", "a100", "-n", "gpu", "-o", "jsonpath={.status.nodes.desired}"])
        #expect(desired.trimmingCharacters(in: .whitespacesAndNewlines) == "2")

        let (deleted, deleteOutput) = try await DevClusterCommandTests.kubectl(kubectl + ["delete", "gpupool", "a100", "-n", "gpu"])
        try #require(deleted == 0, "\(deleteOutput)")
        while text.contains("gpupool=\"a100\"") {
            guard operatorProcess.process.isRunning else {
                Issue.record("operator exited: \(operatorProcess.stderr)")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
            text = (try? await Self.get(url)) ?? text
        }
        #expect(!text.contains("fleetcast_pool_desired_nodes{"))

        operatorProcess.process.terminate()
        #expect(await operatorProcess.exitStatus() == 0, "\(operatorProcess.stderr)")

        // `--log-format json`: every line one object with the fields log collectors key on, and the
        // scale-up logged with its pool and reason as top-level fields.
        let timestamps = ISO8601DateFormatter()
        timestamps.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let lines = operatorProcess.stderr.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        for line in lines {
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "\(line)")
            #expect(fields["ts"].flatMap(timestamps.date(from:)) != nil, "\(line)")
            #expect(fields["level"] != nil && fields["msg"] != nil && fields["logger"] != nil, "\(line)")
        }
        #expect(lines.contains { $0.contains(#""msg":"Scaled target""#) && $0.contains(#""reason":"ScaleUpToMinimum""#) },
                "\(operatorProcess.stderr)")
    }

    /// `name{labels}` → value for every sample line of a text exposition.
    static func parse(_ text: String) -> [String: Double] {
        var series: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            series[String(line[..<space])] = value
        }
        return series
    }

    static func get(_ url: URL) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: url)
        return String(decoding: data, as: UTF8.self)
    }

    /// A loopback port nobody listens on right now (the kernel's pick for a socket bound to port 0).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw PortError() }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw PortError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct PortError: Error {}
}
