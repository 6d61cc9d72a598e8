import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import KubeClient
import Logging
import Testing
import VirtualCluster
@testable import Operator

extension OperatorEndToEnd {
    /// The operator authenticated as the `fleetcast-operator` ServiceAccount, against a virtual cluster that
    /// enforces RBAC with exactly the roles in `deploy/rbac/`: a full reconcile (informers, status, /scale,
    /// history ConfigMap, events) and leader election succeed, so the least-privilege roles are sufficient;
    /// and what they do not grant is refused.
    @Suite struct DeployedRBACTests {
        static let serviceAccountToken = "operator-service-account-token"

        /// The operator's namespace, ServiceAccount and every manifest in `deploy/rbac/`, as one stream.
        static func deployedRBAC() throws -> String {
            let root = OperatorTestCluster.repositoryRoot
            let rbac = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("deploy/rbac").path)
                .filter { $0.hasSuffix(".yaml") }.sorted().map { "deploy/rbac/\($0)" }
            #expect(rbac.count >= 3)
            return try (["deploy/namespace.yaml", "deploy/serviceaccount.yaml"] + rbac)
                .map { try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8) }
                .joined(separator: "\n---\n")
        }

        /// A virtual cluster enforcing RBAC with `deployedRBAC()` (and `manifests`), and a client that
        /// authenticates as the operator's ServiceAccount, without retries (a refusal must show at once).
        static func startEnforcingRBAC(poolYAML: String, manifests: String? = nil) async throws -> (OperatorTestCluster, KubeClient) {
            let environment = try await OperatorTestCluster.start(
                poolYAML: poolYAML, manifests: try deployedRBAC() + (manifests.map { "\n---\n" + $0 } ?? "")
            ) { configuration in
                configuration.authorizeWithRBAC = true
                configuration.tokens = [serviceAccountToken: "system:serviceaccount:fleetcast-system:fleetcast-operator"]
            }
            var operatorConfiguration = environment.kubeconfig
            operatorConfiguration.authentication = .bearerToken(serviceAccountToken)
            operatorConfiguration.retry = .never
            return (environment, KubeClient(configuration: operatorConfiguration))
        }

        @Test func operatorWorksWithTheDeployedRolesAndNoMore() async throws {
            let (environment, client) = try await Self.startEnforcingRBAC(poolYAML: VirtualClusterEndToEndTests.poolYAML())
            defer { Task { await environment.stop() } }

            // Informers on pools, pods, nodes, CronJobs and Jobs (list + watch, all namespaces), as the ServiceAccount.
            let watches = PoolWatches(client: client, namespace: nil, logger: Logger(label: "rbac")) { _ in }
            let watchTask = Task { _ = try? await watches.run() }
            defer { watchTask.cancel() }
            try await watches.pods.waitUntilSynced()
            try await watches.nodes.waitUntilSynced()
            try await watches.pools.waitUntilSynced()
            // CronJobs and Jobs for schedule discovery: a forbidden list never syncs (bounded wait).
            try await eventually("the CronJob and Job informers sync") {
                watches.cronJobs.hasSynced && watches.jobs.hasSynced
            }

            // One reconcile: status, /scale patch, history ConfigMap, an event.
            let result = try await environment.reconciler(client: client, cache: watches.observationCache, identity: "rbac")
                .reconcileAndSave(OperatorTestCluster.key)
            #expect(result == .requeue(after: .seconds(30)))
            #expect(try await environment.replicas() == 2)
            #expect(try await environment.condition(.ready)?.status == .true)
            _ = try await environment.client.get(ConfigMap.descriptor, name: "gpu.a100.demand-history", namespace: "fleetcast-system",
                                                 subresource: nil, as: ConfigMap.self)
            try await eventually("a ScaledUp event") { try await environment.eventReasons().contains("ScaledUp") }

            // Leader election on the Lease the Deployment's operator uses.
            let leases = KubeLeaseStore(client: client, namespace: "fleetcast-system", name: "fleetcast-operator-leader")
            #expect(try await leases.get() == nil)
            let now = environment.clock.date
            var renewed = try await leases.create(LeaseRecord(holderIdentity: "rbac-test", leaseDurationSeconds: 15, acquireTime: now, renewTime: now))
            renewed.renewTime = now.addingTimeInterval(2)
            _ = try await leases.update(renewed)

            // Not granted: the operator never writes a pool's spec, has no other Lease, never deletes pods.
            await #expect {
                _ = try await client.patch(GPUPool.descriptor, name: "a100", namespace: "gpu", type: .merge,
                                           body: Data(#"{"spec":{"mode":"ForecastOnly"}}"#.utf8), subresource: nil, as: GPUPool.self)
            } throws: { Self.isForbidden($0) }
            await #expect {
                _ = try await client.get(Lease.descriptor, name: "other", namespace: "fleetcast-system", subresource: nil, as: Lease.self)
            } throws: { Self.isForbidden($0) }
            await #expect {
                try await client.delete(Pod.descriptor, name: "any", namespace: "gpu")
            } throws: { Self.isForbidden($0) }
            // No ConfigMap access outside the operator's namespace: kube-system's included.
            for namespace in ["gpu", "kube-system"] {
                await #expect {
                    _ = try await client.list(ConfigMap.self, namespace: namespace)
                } throws: { Self.isForbidden($0) }
                await #expect {
                    _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "probe", namespace: namespace), data: [:]))
                } throws: { Self.isForbidden($0) }
            }
            // Deleting the pool deletes its history (no owner reference can cross namespaces).
            try await environment.client.delete(GPUPool.descriptor, name: "a100", namespace: "gpu")
            // Both caches: the reconciler reads the pool through the environment's pool informer, not this one.
            try await eventually("the pool is gone from the caches") {
                watches.pools.get(namespace: "gpu", name: "a100") == nil && environment.watches.pools.get(namespace: "gpu", name: "a100") == nil
            }
            _ = try await environment.reconciler(client: client, cache: watches.observationCache, identity: "rbac").reconcileAndSave(OperatorTestCluster.key)
            await #expect {
                _ = try await environment.client.get(ConfigMap.descriptor, name: "gpu.a100.demand-history", namespace: "fleetcast-system",
                                                     subresource: nil, as: ConfigMap.self)
            } throws: { error in if case .notFound? = error as? KubeError { true } else { false } }
        }

        static func isForbidden(_ error: any Error) -> Bool {
            if case .forbidden? = error as? KubeError { return true }
            return false
        }
    }
}
