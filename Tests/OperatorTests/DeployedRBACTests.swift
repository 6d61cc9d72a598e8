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

/// The operator authenticated as the `fleetcast-operator` ServiceAccount, against a virtual cluster that
/// enforces RBAC with exactly the roles in `deploy/rbac/`: a full reconcile (informers, status, /scale,
/// history ConfigMap, events) and leader election succeed, so the least-privilege roles are sufficient;
/// and what they do not grant is refused.
@Suite struct DeployedRBACTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let serviceAccountToken = "operator-service-account-token"

    static func manifests(_ paths: [String]) throws -> [(String, String)] {
        try paths.map { ($0, try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func operatorWorksWithTheDeployedRolesAndNoMore() async throws {
        var configuration = VirtualClusterConfiguration()
        configuration.authorizeWithRBAC = true
        configuration.tokens = [Self.serviceAccountToken: "system:serviceaccount:fleetcast-system:fleetcast-operator"]
        let cluster = try await VirtualCluster.start(configuration)
        defer { Task { await cluster.shutdown() } }
        let rbac = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("deploy/rbac").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "deploy/rbac/\($0)" }
        #expect(rbac.count >= 3)
        for (file, text) in try Self.manifests(["crds/fleetcast.dev_gpupools.yaml", "hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml",
                                                "deploy/namespace.yaml", "deploy/serviceaccount.yaml"] + rbac) {
            try await cluster.apply(manifestYAML: text, file: file)
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
            ---
            apiVersion: fleetcast.dev/v1alpha1
            kind: GPUPool
            metadata: {name: a100, namespace: gpu}
            spec:
              nodes:
                selector: {matchLabels: {fleetcast.dev/pool: a100}}
                gpusPerNode: 8
                max: 10
              target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: a100}
              demand: {pods: {selector: {matchLabels: {app: train}}}}
              startup: {expected: 12m}
              schedules:
              - {name: retrain, cron: "10 * * * *", duration: 30m, gpus: 16}
            """, file: "pool.yaml")

        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("rbac-\(UUID().uuidString).yaml").path
        try cluster.writeKubeconfig(to: kubeconfig)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        let admin = KubeClient(configuration: try KubeconfigLoader(explicitPath: kubeconfig, environment: [:]).configuration())
        var operatorConfiguration = try KubeconfigLoader(explicitPath: kubeconfig, environment: [:]).configuration()
        operatorConfiguration.authentication = .bearerToken(Self.serviceAccountToken)
        operatorConfiguration.retry = .never
        let client = KubeClient(configuration: operatorConfiguration)

        // Informers on pools, pods and nodes (list + watch, all namespaces).
        let watches = PoolWatches(client: client, namespace: nil, logger: Logger(label: "rbac")) { _ in }
        let watchTask = Task { _ = try? await watches.run() }
        defer { watchTask.cancel() }
        try await watches.pods.waitUntilSynced()
        try await watches.nodes.waitUntilSynced()
        try await watches.pools.waitUntilSynced()

        // One reconcile: status, /scale patch, history ConfigMap, an event.
        let clock = ManualClock()
        let recorder = DeduplicatingEventRecorder(
            sink: KubeEventSink(client: client), clock: clock, wallClock: { clock.date },
            reportingController: "fleetcast-operator", reportingInstance: "rbac", logger: Logger(label: "rbac"))
        let reconciler = GPUPoolReconciler(api: KubeGPUPoolAPI(client: client), cache: watches.observationCache, recorder: recorder,
                                           memories: PoolMemoryStore(), now: { clock.date }, tick: 30, logger: Logger(label: "rbac"))
        let result = try await reconciler.reconcile(ObjectKey(namespace: "gpu", name: "a100"))
        #expect(result == .requeue(after: .seconds(30)))
        let scale = try await admin.get(Self.machineDeployments, name: "a100", namespace: "gpu", subresource: "scale", as: Scale.self)
        #expect(scale.spec.replicas == 2)
        let pool = try await admin.get(GPUPool.descriptor, name: "a100", namespace: "gpu", subresource: nil, as: GPUPool.self)
        #expect(pool.status?.conditions?[type: "Ready"]?.status == .true)
        _ = try await admin.get(ConfigMap.descriptor, name: "a100-demand-history", namespace: "gpu", subresource: nil, as: ConfigMap.self)
        try await Self.eventually {
            try await admin.list(Event.descriptor, namespace: "gpu", options: ListOptions(), as: Event.self).items.contains { $0.reason == "ScaledUp" }
        }

        // Leader election on the Lease the Deployment's operator uses.
        let leases = KubeLeaseStore(client: client, namespace: "fleetcast-system", name: "fleetcast-operator-leader")
        #expect(try await leases.get() == nil)
        let created = try await leases.create(LeaseRecord(holderIdentity: "rbac-test", leaseDurationSeconds: 15, acquireTime: clock.date, renewTime: clock.date))
        var renewed = created
        renewed.renewTime = clock.date.addingTimeInterval(2)
        _ = try await leases.update(renewed)

        // Not granted: the operator never writes a pool's spec, never deletes pods, has no other Lease.
        await Self.expectForbidden {
            _ = try await client.patch(GPUPool.descriptor, name: "a100", namespace: "gpu", type: .merge, body: Data(#"{"spec":{"mode":"ForecastOnly"}}"#.utf8), subresource: nil, as: GPUPool.self)
        }
        await Self.expectForbidden {
            _ = try await client.get(Lease.descriptor, name: "other", namespace: "fleetcast-system", subresource: nil, as: Lease.self)
        }
        await Self.expectForbidden {
            try await client.delete(Pod.descriptor, name: "any", namespace: "gpu")
        }
    }

    static let machineDeployments = ResourceDescriptor(
        GroupVersionResource(group: "cluster.x-k8s.io", version: "v1beta2", resource: "machinedeployments"), scope: .namespaced, kind: "MachineDeployment")

    static func expectForbidden(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("expected 403 Forbidden", sourceLocation: sourceLocation)
        } catch let error as KubeError {
            guard case .forbidden = error else {
                Issue.record("expected 403 Forbidden, got \(error)", sourceLocation: sourceLocation)
                return
            }
        } catch {
            Issue.record("expected 403 Forbidden, got \(error)", sourceLocation: sourceLocation)
        }
    }

    static func eventually(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<200 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("condition not met")
    }
}
