import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import KubeClient
import Logging
import Testing
import VirtualCluster
@testable import Operator

/// The reconciler against the in-process virtual cluster over HTTPS, through the real client and
/// informers: the CRDs from the repository, a MachineDeployment with a `/scale` subresource, and
/// time from a manual clock so schedules are where the test puts them.
@Suite struct VirtualClusterEndToEndTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Environment {
        let cluster: RunningVirtualCluster
        let client: KubeClient
        let watches: PoolWatches
        let watchTask: Task<Void, Never>
        let clock = ManualClock()
        let sink: RecordingEventSink

        func reconciler() -> GPUPoolReconciler {
            let clock = clock
            let recorder = DeduplicatingEventRecorder(
                sink: KubeEventSink(client: client), clock: clock, wallClock: { clock.date },
                reportingController: "fleetcast-operator", reportingInstance: "e2e", logger: Logger(label: "e2e"))
            return GPUPoolReconciler(api: KubeGPUPoolAPI(client: client), cache: watches.observationCache, recorder: recorder,
                                     memories: PoolMemoryStore(), now: { clock.date }, tick: 30, logger: Logger(label: "e2e"))
        }

        func stop() async {
            watchTask.cancel()
            await cluster.shutdown()
        }

        func replicas() async throws -> Int32 {
            let resource = ResourceDescriptor(GroupVersionResource(group: "cluster.x-k8s.io", version: "v1beta2", resource: "machinedeployments"),
                                              scope: .namespaced, kind: "MachineDeployment")
            return try await client.get(resource, name: "a100", namespace: "gpu", subresource: "scale", as: Scale.self).spec.replicas
        }

        func pool() async throws -> GPUPool {
            try await client.get(GPUPool.descriptor, name: "a100", namespace: "gpu", subresource: nil, as: GPUPool.self)
        }

        func events() async throws -> [String] {
            try await client.list(Event.descriptor, namespace: "gpu", options: ListOptions(), as: Event.self).items.compactMap(\.reason)
        }
    }

    static func start(poolYAML: String) async throws -> Environment {
        let cluster = try await VirtualCluster.start()
        let root = repositoryRoot
        for crd in ["crds/fleetcast.dev_gpupools.yaml", "hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml"] {
            let text = try String(contentsOf: root.appendingPathComponent(crd), encoding: .utf8)
            try await cluster.apply(manifestYAML: text, file: crd)
        }
        try await cluster.apply(manifestYAML: """
            apiVersion: v1
            kind: Namespace
            metadata: {name: gpu}
            ---
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: MachineDeployment
            metadata: {name: a100, namespace: gpu}
            spec: {clusterName: dev, replicas: 0}
            """, file: "target.yaml")
        try await cluster.apply(manifestYAML: poolYAML, file: "pool.yaml")
        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("operator-e2e-\(UUID().uuidString).yaml").path
        try cluster.writeKubeconfig(to: kubeconfig)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        let client = KubeClient(configuration: try KubeconfigLoader(explicitPath: kubeconfig, environment: [:]).configuration())
        let watches = PoolWatches(client: client, namespace: nil, logger: Logger(label: "e2e")) { _ in }
        let task = Task { _ = try? await watches.run() }
        try await watches.pods.waitUntilSynced()
        try await watches.nodes.waitUntilSynced()
        try await watches.pools.waitUntilSynced()
        return Environment(cluster: cluster, client: client, watches: watches, watchTask: task, sink: RecordingEventSink())
    }

    static func poolYAML(mode: String = "Active", extra: String = "") -> String {
        """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: a100, namespace: gpu}
        spec:
          mode: \(mode)
          nodes:
            selector: {matchLabels: {fleetcast.dev/pool: a100}}
            gpusPerNode: 8
            max: 10
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: a100}
          demand:
            pods:
              selector: {matchLabels: {app: train}}
          startup: {expected: 12m}
          schedules:
          - {name: retrain, cron: "10 * * * *", duration: 30m, gpus: 16}
        \(extra)
        """
    }

    /// (a) The manual clock starts at 08:00 UTC; the window opens at 08:10 and nodes take 12 minutes,
    /// so the MachineDeployment is scaled to the schedule's 2 nodes now, with no pod yet.
    @Test func scheduleScalesTheTargetUpAhead() async throws {
        let environment = try await Self.start(poolYAML: Self.poolYAML())
        defer { Task { await environment.stop() } }
        let result = try await environment.reconciler().reconcile(ObjectKey(namespace: "gpu", name: "a100"))
        #expect(result == .requeue(after: .seconds(30)))
        #expect(try await environment.replicas() == 2)
        let pool = try await environment.pool()
        #expect(pool.status?.nodes?.desired == 2)
        #expect(pool.status?.nextSchedule?.name == "retrain")
        #expect(pool.status?.observedGeneration == pool.metadata.generation)
        #expect(pool.status?.conditions?[type: "Ready"]?.status == .true)
        #expect(try await environment.events().contains("ScaledUp"))
        // The history ConfigMap exists and is owned by the pool.
        let map = try await environment.client.get(ConfigMap.descriptor, name: "a100-demand-history", namespace: "gpu", subresource: nil, as: ConfigMap.self)
        #expect(map.metadata.ownerReferences?.first?.uid == pool.metadata.uid)
        #expect(map.data?[HistoryConfigMap.historyKey] != nil)
    }

    /// (d) ForecastOnly: the plan is published in status; the target keeps its replicas.
    @Test func forecastOnlyWritesStatusButNotTheTarget() async throws {
        let environment = try await Self.start(poolYAML: Self.poolYAML(mode: "ForecastOnly"))
        defer { Task { await environment.stop() } }
        _ = try await environment.reconciler().reconcile(ObjectKey(namespace: "gpu", name: "a100"))
        #expect(try await environment.replicas() == 0)
        let pool = try await environment.pool()
        #expect(pool.status?.nodes?.desired == 2)
        #expect(pool.status?.conditions?[type: "ScalingActive"]?.reason == "ForecastOnlyMode")
        #expect(try await !environment.events().contains("ScaledUp"))
    }

    /// (e) A rule the CRD states in CEL (which this API server, like one without the schema, does
    /// not enforce) is caught by the operator: condition with the field path, event, no actuation.
    @Test func invalidSpecGetsTheConditionAndNoActuation() async throws {
        let yaml = Self.poolYAML().replacingOccurrences(of: "    max: 10", with: "    min: 4\n    max: 2")
        let environment = try await Self.start(poolYAML: yaml)
        defer { Task { await environment.stop() } }
        let result = try await environment.reconciler().reconcile(ObjectKey(namespace: "gpu", name: "a100"))
        #expect(result == .done)
        #expect(try await environment.replicas() == 0)
        let ready = try #require(try await environment.pool().status?.conditions?[type: "Ready"])
        #expect(ready.status == .false)
        #expect(ready.reason == "InvalidSpec")
        #expect(ready.message.contains("spec.nodes.max"), "\(ready.message)")
        #expect(try await environment.events().contains("InvalidSpec"))
    }
}
