import ControllerRuntime
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import KubeClient
import Logging
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// (f) The demand history lives in the `<namespace>.<pool>.demand-history` ConfigMap in the
    /// operator's namespace: a new operator instance (new client, new informers, empty memory)
    /// restores it, and the hour it was down appears as missing bins rather than as zero demand. A
    /// history an earlier release kept next to the pool is migrated once.
    @Suite struct HistoryRestartEndToEndTests {
        @Test func aRestartedOperatorRestoresTheHistoryWithTheDowntimeAsMissingBins() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: OperatorTestCluster.poolYAML())
            defer { Task { await environment.stop() } }
            try await environment.createTrainingPod("train-1", gpus: 4)
            // Half an hour of life in 5-minute bins (the default forecast step), one reconcile per bin.
            try await environment.reconcile()
            for _ in 1..<6 { try await environment.tick(300) }
            let before = try #require(try await storedHistory(environment))
            #expect(before.observedBinCount == 6)
            #expect(before.bins.compactMap { $0?.peak } == Array(repeating: 4, count: 6))

            // The operator is down for an hour, then a new instance starts from scratch.
            try await environment.advance(300 + 3600)
            let client = KubeClient(configuration: environment.kubeconfig)
            let watches = PoolWatches(client: client, namespace: nil, logger: Logger(label: "restarted"), now: { environment.clock.date }) { _ in }
            let task = Task { _ = try? await watches.run() }
            defer { task.cancel() }
            try await watches.pods.waitUntilSynced()
            try await watches.nodes.waitUntilSynced()
            let restarted = environment.reconciler(memories: PoolMemoryStore(), client: client, cache: watches.observationCache,
                                                   identity: "restarted")
            try await restarted.reconcileAndSave(OperatorTestCluster.key)

            let after = try #require(try await storedHistory(environment))
            #expect(after.observedBinCount == 7)
            #expect(after.binCount == 6 + 12 + 1)
            #expect(after.bins.filter { $0 == nil }.count == 12)
            #expect(after.bins.prefix(6).map { $0?.peak } == before.bins.map { $0?.peak })
            let map = try await environment.client.get(ConfigMap.descriptor, name: HistoryStorage.configMapName(poolNamespace: "gpu", pool: "a100"),
                                                       namespace: OperatorTestCluster.historyNamespace, subresource: nil, as: ConfigMap.self)
            #expect(map.metadata.annotations?[HistoryConfigMap.poolUIDAnnotation] == (try await environment.pool().metadata.uid))
            #expect(map.metadata.ownerReferences == nil)
        }

        /// An earlier release's `<pool>-demand-history` next to the pool is read once, written to the
        /// operator's namespace, and deleted; the pool carries on with its history.
        @Test func aHistoryKeptNextToThePoolIsMigratedOnce() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: OperatorTestCluster.poolYAML())
            defer { Task { await environment.stop() } }
            try await environment.createTrainingPod("train-1", gpus: 4)
            try await environment.reconcile()
            for _ in 1..<3 { try await environment.tick(300) }
            let before = try #require(try await storedHistory(environment))
            #expect(before.observedBinCount == 3)

            // Make it look as an earlier release left it: next to the pool, owned by it, and nothing in the new place.
            let pool = try await environment.pool()
            let current = try await environment.client.get(ConfigMap.descriptor, name: "gpu.a100.demand-history",
                                                           namespace: OperatorTestCluster.historyNamespace, subresource: nil, as: ConfigMap.self)
            let owner = OwnerReference(apiVersion: GPUPool.apiVersion, kind: GPUPool.kind, name: "a100", uid: pool.metadata.uid ?? "", controller: true)
            _ = try await environment.client.create(ConfigMap(
                metadata: ObjectMeta(name: "a100-demand-history", namespace: "gpu", ownerReferences: [owner]), data: current.data))
            try await environment.client.delete(ConfigMap.descriptor, name: "gpu.a100.demand-history", namespace: OperatorTestCluster.historyNamespace)

            // A restarted operator finds nothing in its namespace and migrates the old one.
            try await environment.advance(300)
            _ = try await environment.reconciler(memories: PoolMemoryStore(), identity: "upgraded").reconcileAndSave(OperatorTestCluster.key)
            let after = try #require(try await storedHistory(environment))
            #expect(after.observedBinCount == 4)
            #expect(after.bins.prefix(3).map { $0?.peak } == before.bins.map { $0?.peak })
            await #expect {
                _ = try await environment.client.get(ConfigMap.descriptor, name: "a100-demand-history", namespace: "gpu", subresource: nil, as: ConfigMap.self)
            } throws: { error in if case .notFound? = error as? KubeError { true } else { false } }
        }

        /// A pool deleted and re-created under the same name while no operator ran starts afresh: the
        /// stored history names the old pool's uid.
        @Test func aRecreatedPoolDoesNotInheritTheOldHistory() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: OperatorTestCluster.poolYAML())
            defer { Task { await environment.stop() } }
            try await environment.createTrainingPod("train-1", gpus: 4)
            try await environment.reconcile()
            try await environment.tick(300)
            #expect(try #require(try await storedHistory(environment)).observedBinCount == 2)
            let oldUID = try await environment.pool().metadata.uid

            try await environment.client.delete(GPUPool.descriptor, name: "a100", namespace: "gpu")
            try await environment.cluster.apply(manifestYAML: OperatorTestCluster.poolYAML(), file: "pool.yaml")
            #expect(try await environment.pool().metadata.uid != oldUID)
            try await environment.advance(300)
            try await environment.cachesCaughtUp()
            _ = try await environment.reconciler(memories: PoolMemoryStore(), identity: "restarted").reconcileAndSave(OperatorTestCluster.key)
            let fresh = try #require(try await storedHistory(environment))
            #expect(fresh.observedBinCount == 1)
        }

        private func storedHistory(_ environment: OperatorTestCluster) async throws -> DemandHistory? {
            let map = try await environment.client.get(ConfigMap.descriptor, name: "gpu.a100.demand-history",
                                                       namespace: OperatorTestCluster.historyNamespace, subresource: nil, as: ConfigMap.self)
            return HistoryStorage.history(in: map)
        }
    }
}
