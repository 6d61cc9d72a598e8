import Autoscaling
import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Forecasting
import Foundation
import KubeAPI
import PoolPolicy
import PrometheusDemand
import Testing
@testable import Operator

/// The operator against a real Prometheus (Debian's `prometheus`, started per test on a free loopback
/// port with its own copy of TSDB blocks built by `promtool tsdb create-blocks-from openmetrics` from
/// 14 days of the ServeGen trace, shaped as kube-state-metrics' `kube_pod_container_resource_requests`).
/// The operator's clock is a Thursday 00:00 UTC within the last week and the data ends there, so the
/// pool's first reconcile has exactly its 336 h window of history in Prometheus.
@Suite("Prometheus demand, end to end", .serialized)
struct PrometheusDemandEndToEndTests {
    static let week: TimeInterval = 7 * 86_400
    /// A whole number of weeks since 1970 (a Thursday 00:00 UTC): trace times shifted by it keep their
    /// daily and weekly phase, so the same CSV read by `fleetcast forecast` lines up bin for bin.
    static let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / week).rounded(.down) * week)
    static let anchor = now.addingTimeInterval(-2 * week)
    static let traceName = "servegen_m_small_gpus_1min.csv"

    static func poolYAML(use: PrometheusDemandUse = .history, query: String = TraceBlocks.query, mode: String = "ForecastOnly") -> String {
        """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: a100, namespace: gpu}
        spec:
          mode: \(mode)
          nodes:
            selector: {matchLabels: {fleetcast.dev/pool: a100}}
            gpusPerNode: 8
            max: 100
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: a100}
          demand:
            pods:
              selector: {matchLabels: {app: llm}}
            prometheus:
              query: '\(query.replacingOccurrences(of: "'", with: "''"))'
              use: \(use.rawValue)
          startup: {expected: 10m}
        """
    }

    struct World {
        var prometheus: PrometheusServer
        var cluster: OperatorTestCluster
        var client: PrometheusClient

        func reconciler(client: (any PrometheusDemandSource)? = nil, retry: TimeInterval = 300) -> GPUPoolReconciler {
            var reconciler = cluster.reconciler()
            reconciler.prometheus = client ?? self.client
            reconciler.backfillRetryInterval = retry
            return reconciler
        }

        func stop() async {
            await cluster.stop()
            prometheus.stop()
        }
    }

    static func start(yaml: String = poolYAML(), blocks: Bool = true, timeout: TimeInterval = 20) async throws -> World {
        let trace = try TestResources.trace(traceName, packageRoot: OperatorTestCluster.repositoryRoot)
        let data = blocks ? try await TraceBlocks.blocks(trace: trace, anchor: anchor, days: 14) : nil
        let prometheus = try await PrometheusServer.start(blocks: data)
        do {
            let cluster = try await OperatorTestCluster.start(poolYAML: yaml, origin: now)
            let client = try PrometheusClient(configuration: PrometheusConfiguration(url: prometheus.url, timeout: timeout))
            return World(prometheus: prometheus, cluster: cluster, client: client)
        } catch {
            prometheus.stop()
            throw error
        }
    }

    /// Runs `body` in a fresh world and stops it (Prometheus and the cluster) whatever happens.
    static func withWorld(yaml: String = poolYAML(), blocks: Bool = true, _ body: (World) async throws -> Void) async throws {
        let world = try await start(yaml: yaml, blocks: blocks)
        do {
            try await body(world)
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    /// (a) Ready on the first reconcile, and the same forecast as `fleetcast forecast` on the trace as a
    /// CSV: every point's mean and upper quantile within 1e-6 GPUs (both fit the same 4,032 bin peaks;
    /// only floating-point summation order could differ).
    @Test func firstReconcileBackfillsAndForecastsLikeTheCommandLineOnTheSameTrace() async throws {
        try await Self.withWorld { world in
            try await world.cluster.cachesCaughtUp()
            _ = try await world.reconciler().reconcileAndSave(OperatorTestCluster.key)

            let history = try #require(try await world.cluster.condition(.historyAvailable))
            #expect(history.status == .true)
            #expect(history.reason == "HistoryBackfilled")
            #expect(history.message.contains("4032 of 4032 bins"), "\(history.message)")
            let ready = try #require(try await world.cluster.condition(.forecastReady))
            #expect(ready.status == .true, "\(ready.message)")
            #expect(try await world.cluster.eventReasons().contains("HistoryBackfilled"))

            let pool = try await world.cluster.pool()
            let memory = await world.cluster.memories.memory(for: OperatorTestCluster.key, settings: try DecisionSettings(spec: pool.spec, tick: 30))
            #expect(memory.history.observedBinCount >= 4032)
            let fitted = try #require(memory.loop.forecasts.fitted)
            let horizon: TimeInterval = 7200
            let operatorForecast = fitted.forecast(at: Self.now, horizon: horizon)
            #expect(operatorForecast.readiness == .ready)

            // The same trace as a CSV with absolute times, forecast by the command line at the same instant.
            let trace = try TestResources.trace(Self.traceName, packageRoot: OperatorTestCluster.repositoryRoot)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let csv = directory.appendingPathComponent("trace.csv"), poolFile = directory.appendingPathComponent("pool.yaml")
            try TraceBlocks.csv(rows: try TraceBlocks.rows(trace: trace, days: 14), anchor: Self.anchor).write(to: csv, atomically: true, encoding: .utf8)
            try Self.poolYAML().write(to: poolFile, atomically: true, encoding: .utf8)
            let (status, output) = try await ToolRun.run(try TestResources.executable("fleetcast").path, [
                "forecast", "--trace", csv.path, "-f", poolFile.path, "--at", String(Int(Self.now.timeIntervalSince1970)),
                "--horizon", "2h", "--format", "json",
            ])
            try #require(status == 0, "\(output)")
            struct Rendered: Decodable {
                struct Point: Decodable { var t: Double; var mean: Double; var upper: Double }
                var ready: Bool
                var points: [Point]
            }
            let cli = try JSONDecoder().decode(Rendered.self, from: Data(output.utf8))
            #expect(cli.ready)
            #expect(cli.points.count == 24, "2 h of 5-minute bins")
            #expect(cli.points.count == operatorForecast.points.count)
            for (ours, theirs) in zip(operatorForecast.points, cli.points) {
                #expect(ours.start.timeIntervalSince1970 == theirs.t)
                #expect(abs(ours.mean - theirs.mean) <= 1e-6, "mean at \(theirs.t): operator \(ours.mean), CLI \(theirs.mean)")
                #expect(abs(ours.upper - theirs.upper) <= 1e-6, "upper at \(theirs.t): operator \(ours.upper), CLI \(theirs.upper)")
            }
        }
    }

    /// The backfill is persisted at once; an operator restarted after the history ConfigMap was lost
    /// backfills again and is Ready on its first reconcile too.
    @Test func aRestartAfterTheHistoryConfigMapIsLostBackfillsAgain() async throws {
        try await Self.withWorld { world in
            try await world.cluster.cachesCaughtUp()
            try await world.reconciler().reconcileAndSave(OperatorTestCluster.key)
            let name = HistoryStorage.configMapName(poolNamespace: "gpu", pool: "a100")
            let saved = try await world.cluster.client.get(ConfigMap.descriptor, name: name, namespace: OperatorTestCluster.historyNamespace,
                                                           subresource: nil, as: ConfigMap.self)
            let stored = try #require(HistoryConfigMap.decode(saved).history, "the backfilled history is saved on the first reconcile")
            #expect(stored.observedBinCount >= 4032)

            try await world.cluster.client.delete(ConfigMap.descriptor, name: name, namespace: OperatorTestCluster.historyNamespace)
            try await world.cluster.advance(30)
            var restarted = world.cluster.reconciler(memories: PoolMemoryStore())
            restarted.prometheus = world.client
            try await restarted.reconcileAndSave(OperatorTestCluster.key)
            #expect(try await world.cluster.condition(.historyAvailable)?.reason == "HistoryBackfilled")
            #expect(try await world.cluster.condition(.forecastReady)?.status == .true)
            _ = try await world.cluster.client.get(ConfigMap.descriptor, name: name, namespace: OperatorTestCluster.historyNamespace,
                                                   subresource: nil, as: ConfigMap.self)
        }
    }

    /// (c) Prometheus stopped: the pool stays on its own history, HistoryAvailable=False with
    /// PrometheusUnavailable, a Warning event, the failure counted; a restarted Prometheus is read
    /// again once the retry interval has passed.
    @Test func stoppedPrometheusFallsBackAndIsRetried() async throws {
        try await Self.withWorld { world in
            world.prometheus.stop()
            let metrics = RecordingPoolMetrics()
            var reconciler = world.reconciler(retry: 60)
            reconciler.metrics = metrics
            try await world.cluster.cachesCaughtUp()
            _ = try await reconciler.reconcileAndSave(OperatorTestCluster.key)

            let condition = try #require(try await world.cluster.condition(.historyAvailable))
            #expect(condition.status == .false)
            #expect(condition.reason == "PrometheusUnavailable")
            #expect(condition.message.contains("learns from its own history"), "\(condition.message)")
            #expect(try await world.cluster.condition(.forecastReady)?.status == .false)
            #expect(try await world.cluster.condition(.ready)?.status == .true)
            #expect(try await world.cluster.eventReasons().contains("HistoryUnavailable"))
            #expect(metrics.queries.value == ["history/PrometheusUnavailable"])
            #expect(metrics.available.value == false)

            // Prometheus is back (a new server, same blocks); before the retry interval nothing is asked,
            // after it the backfill runs and the forecast is ready.
            let trace = try TestResources.trace(Self.traceName, packageRoot: OperatorTestCluster.repositoryRoot)
            let restarted = try await PrometheusServer.start(blocks: try await TraceBlocks.blocks(trace: trace, anchor: Self.anchor, days: 14))
            defer { restarted.stop() }
            reconciler.prometheus = try PrometheusClient(configuration: PrometheusConfiguration(url: restarted.url, timeout: 20))
            try await world.cluster.advance(30)
            _ = try await reconciler.reconcileAndSave(OperatorTestCluster.key)
            #expect(metrics.queries.value == ["history/PrometheusUnavailable"])
            try await world.cluster.advance(30)
            _ = try await reconciler.reconcileAndSave(OperatorTestCluster.key)
            #expect(metrics.queries.value == ["history/PrometheusUnavailable", "history/ok"])
            #expect(try await world.cluster.condition(.historyAvailable)?.reason == "HistoryBackfilled")
            #expect(try await world.cluster.condition(.forecastReady)?.status == .true)
            #expect(metrics.available.value == true)
        }
    }

    /// (c) Prometheus answers, but with a PromQL error, an empty result, or several series: each is
    /// its own reason, with Prometheus's words in the message, and never a scale-down.
    @Test(arguments: [
        ("sum(kube_pod_container_resource_requests{", "QueryFailed", "bad_data"),
        ("sum(no_such_metric)", "EmptyResult", "no samples"),
        (#"kube_pod_container_resource_requests{namespace="serving"}"#, "MultipleSeries", "aggregate it to one"),
    ])
    func queryProblemsAreReportedAsPrometheusWordsThem(_ query: String, _ reason: String, _ words: String) async throws {
        try await Self.withWorld(yaml: Self.poolYAML(query: query, mode: "Active")) { world in
            try await world.cluster.setReplicas(5)
            try await world.cluster.cachesCaughtUp()
            _ = try await world.reconciler().reconcileAndSave(OperatorTestCluster.key)
            let condition = try #require(try await world.cluster.condition(.historyAvailable))
            #expect(condition.status == .false)
            #expect(condition.reason == reason)
            #expect(condition.message.contains(words), "\(condition.message)")
            #expect(try await world.cluster.condition(.ready)?.status == .true)
        }
    }

    /// (c) A Prometheus that accepts the connection and never answers: the request ends at the
    /// configured timeout, the pool reports PrometheusUnavailable and is reconciled all the same.
    @Test func slowPrometheusTimesOutIntoTheFallback() async throws {
        try await Self.withWorld(blocks: false) { world in
            let silent = try SilentListener()
            let slow = try PrometheusClient(configuration: PrometheusConfiguration(url: "http://127.0.0.1:\(silent.port)", timeout: 1, retries: 0))
            try await world.cluster.cachesCaughtUp()
            _ = try await world.reconciler(client: slow).reconcileAndSave(OperatorTestCluster.key)
            let condition = try #require(try await world.cluster.condition(.historyAvailable))
            #expect(condition.status == .false)
            #expect(condition.reason == "PrometheusUnavailable")
            #expect(condition.message.contains("did not answer in time"), "\(condition.message)")
            withExtendedLifetime(silent) {}
        }
    }
}

/// Counts the Prometheus metrics a reconcile records.
final class RecordingPoolMetrics: PoolMetricsRecorder {
    let queries = LockedValue<[String]>([])
    let available = LockedValue<Bool?>(nil)

    func record(_ gauges: PoolGauges, for pool: ObjectKey) {}
    func recordScale(_ direction: ScaleDirection, reason: PlanReason, for pool: ObjectKey) {}
    func recordReconcile(of pool: ObjectKey, duration: Duration, failed: Bool) {}
    func forget(_ pool: ObjectKey) {}
    func recordPrometheusQuery(_ query: PrometheusQueryKind, result: String, for pool: ObjectKey) {
        queries.withLock { $0.append("\(query.rawValue)/\(result)") }
    }
    func recordHistory(available: Bool?, backfilledBins: Int?, for pool: ObjectKey) {
        self.available.value = available
    }
}

/// (d) `HistoryAndLive`: the live demand is the query's value now, read from a Prometheus that
/// scrapes a tiny exporter every second; when the value changes, the pool's demand follows it, and
/// when Prometheus goes away the pool is held (no scale-down on a failed query).
@Suite("Prometheus live demand, end to end", .serialized)
struct PrometheusLiveDemandEndToEndTests {
    static let metric = "fleetcast_test_queue_gpus"

    @Test func liveDemandFollowsTheSeriesAndAFailedQueryHoldsThePool() async throws {
        let exporter = try TinyExporter(name: Self.metric, value: 3)
        defer { exporter.stop() }
        let prometheus = try await PrometheusServer.start(scrapeTargets: [exporter.target], scrapeInterval: "1s")
        defer { prometheus.stop() }
        var yaml = PrometheusDemandEndToEndTests.poolYAML(use: .historyAndLive, query: "sum(\(Self.metric))", mode: "Active")
        yaml += "\n  scaleDown: {stabilizationWindow: 0s, maxNodesPerStep: 1}\n"
        // The cluster's clock starts a minute in the past (its certificate must be valid now) and is
        // moved to the real time before each reconcile, since the scraped samples are stamped with it.
        let cluster = try await OperatorTestCluster.start(poolYAML: yaml, origin: Date().addingTimeInterval(-60))
        do {
            try await cluster.setReplicas(5)
            let client = try PrometheusClient(configuration: PrometheusConfiguration(url: prometheus.url, timeout: 10))
            var reconciler = cluster.reconciler()
            reconciler.prometheus = client

            try await waitUntilPrometheusSees(3, prometheus)
            try await reconcileAtRealTime(cluster, reconciler)
            var pool = try await cluster.pool()
            #expect(pool.status?.demand?.gpus == 3)
            let afterFirst = try await cluster.replicas()
            #expect(afterFirst < 5, "3 GPUs need one node; the pool steps down from 5")

            exporter.set(7)
            try await waitUntilPrometheusSees(7, prometheus)
            try await reconcileAtRealTime(cluster, reconciler)
            pool = try await cluster.pool()
            #expect(pool.status?.demand?.gpus == 7)

            // Prometheus gone: the live query fails; demand is not learned and the pool is not shrunk.
            let held = try await cluster.replicas()
            prometheus.stop()
            try await reconcileAtRealTime(cluster, reconciler)
            let condition = try #require(try await cluster.condition(.historyAvailable))
            #expect(condition.status == .false)
            #expect(condition.reason == "PrometheusUnavailable")
            #expect(condition.message.contains("live demand query failed"), "\(condition.message)")
            #expect(try await cluster.replicas() == held)
            #expect(try await cluster.eventReasons().contains("HistoryUnavailable"))
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private func reconcileAtRealTime(_ cluster: OperatorTestCluster, _ reconciler: GPUPoolReconciler) async throws {
        let behind = Date().timeIntervalSince(cluster.clock.date)
        if behind > 0 { try await cluster.advance(behind) }
        try await cluster.cachesCaughtUp()
        _ = try await reconciler.reconcileAndSave(OperatorTestCluster.key)
    }

    /// Polls Prometheus's own answer until the scraped value is there (bounded: a hang fails).
    private func waitUntilPrometheusSees(_ value: Double, _ prometheus: PrometheusServer) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let body = (try? await prometheus.get("/api/v1/query?query=sum(\(Self.metric))")) ?? ""
            if body.contains("\"\(value.formatted(.number.grouping(.never)))\"") || body.contains("\"\(Int(value))\"") { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("Prometheus never reported \(value): \(prometheus.logText)")
    }
}
