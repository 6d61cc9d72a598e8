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
    /// (f) The demand history lives in the `<pool>-demand-history` ConfigMap, owned by the pool: a new
    /// operator instance (new client, new informers, empty memory) restores it, and the hour it was
    /// down appears as missing bins rather than as zero demand.
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
            _ = try await restarted.reconcile(OperatorTestCluster.key)

            let after = try #require(try await storedHistory(environment))
            #expect(after.observedBinCount == 7)
            #expect(after.binCount == 6 + 12 + 1)
            #expect(after.bins.filter { $0 == nil }.count == 12)
            #expect(after.bins.prefix(6).map { $0?.peak } == before.bins.map { $0?.peak })
            let map = try await environment.client.get(ConfigMap.descriptor, name: HistoryStorage.configMapName(forPool: "a100"),
                                                       namespace: "gpu", subresource: nil, as: ConfigMap.self)
            let owner = try #require(map.metadata.ownerReferences?.first)
            #expect(owner.kind == "GPUPool")
            #expect(owner.uid == (try await environment.pool().metadata.uid))
            #expect(owner.controller == true)
        }

        private func storedHistory(_ environment: OperatorTestCluster) async throws -> DemandHistory? {
            let map = try await environment.client.get(ConfigMap.descriptor, name: "a100-demand-history", namespace: "gpu",
                                                       subresource: nil, as: ConfigMap.self)
            return HistoryStorage.history(in: map)
        }
    }
}
