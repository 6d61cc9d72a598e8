import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import KubeClient
import Testing
import VirtualCluster
@testable import Operator

extension OperatorEndToEnd {
    /// (i) API errors injected through the virtual cluster: the pod and node watches dropped and their
    /// re-lists answered with 503, the watch history compacted so resuming answers 410, and 503s on the
    /// target's `/scale`. The operator must never shrink the pool on a picture it could not refresh,
    /// must say so in `Degraded`, and must recover on its own once the API server answers again.
    @Suite struct ApiFaultEndToEndTests {
        /// Three idle 8-GPU nodes, a 2-minute stabilization window, one node per step.
        static let poolYAML = OperatorTestCluster.poolYAML(extra: """
              startup: {expected: 2m}
              scaleDown: {stabilizationWindow: 2m, maxNodesPerStep: 1}
            """)

        @Test func blindCachesHoldTheSizeAndTheOperatorRecoversAfter503sDroppedWatchesAnd410() async throws {
            let environment = try await OperatorTestCluster.start(
                poolYAML: Self.poolYAML, infrastructure: [OperatorTestCluster.simulatedPool(replicas: 3)],
                retry: RetryPolicy(maxRetries: 1, initialDelay: 0.05, maxDelay: 0.1))
            defer { Task { await environment.stop() } }
            let watches = environment.watches

            // No demand: the pool wants to shrink and starts its stabilization window.
            try await environment.reconcile()
            #expect(try await environment.replicas() == 3)
            #expect(try await environment.pool().status?.nodes?.ready == 3)
            #expect(try await environment.condition(.degraded)?.reason == "AsExpected")

            // The API server stops serving pods and nodes to the operator and drops its watches.
            let faults = environment.cluster.faults
            try await environment.blindPodsAndNodes()
            // Meanwhile 24 GPUs of training arrive, which the operator's caches cannot see.
            for index in 1...3 { try await environment.createTrainingPod("train-\(index)", gpus: 8) }
            try await environment.advance(1)
            #expect(try await environment.pods().allSatisfy { $0.spec?.nodeName != nil })

            let reconciler = environment.reconciler()
            // 30 s blind is within the limit: no alarm, and the stabilization window still runs.
            try await environment.advance(29)
            _ = try await reconciler.reconcileAndSave(OperatorTestCluster.key)
            #expect(try await environment.condition(.degraded)?.status == .false)

            // From the limit on, the pool is held and the operator says why, however long the stale
            // picture (no demand) lasts: the stabilization window does not run while blind.
            for _ in 0..<6 {
                try await environment.advance(30)
                _ = try await reconciler.reconcileAndSave(OperatorTestCluster.key)
                let degraded = try #require(try await environment.condition(.degraded))
                #expect(degraded.status == .true)
                #expect(degraded.reason == "ObservationStale")
                #expect(degraded.message.contains("holding the current size"), "\(degraded.message)")
                #expect(try await environment.replicas() == 3)
            }
            #expect(try await !environment.eventReasons().contains("ScaledDown"))

            // The API server recovers, but has compacted its history: resuming the watches answers 410,
            // the informers re-list, and the operator sees the demand that arrived while it was blind.
            let expiredBefore = watches.pods.statistics.expired
            environment.cluster.compactHistory()
            faults.clear()
            try await environment.cachesCaughtUp()
            #expect(watches.pods.statistics.expired > expiredBefore)
            #expect(watches.pods.statistics.failures > 0)
            try await eventually("the informers report they are in sync") {
                watches.pods.outOfSyncSince == nil && watches.nodes.outOfSyncSince == nil
            }
            try await environment.tick()
            #expect(try await environment.replicas() == 3)
            let status = try #require(try await environment.pool().status)
            #expect(status.demand?.gpus == 24)
            #expect(status.conditions?[type: "Degraded"]?.reason == "AsExpected")
            #expect(try await !environment.eventReasons().contains("ScaledDown"))

            // 503s on reading the target (more than the client retries; a Cluster API MachineDeployment is
            // read as the object, for cluster-autoscaler's annotations): the reconcile reports the API
            // error and writes nothing; the next one, with the server healthy, is back to normal.
            faults.fail(RequestMatch(method: "GET", pathContains: "/machinedeployments/a100"), code: 503, times: 2)
            try await environment.tick()
            let failed = try #require(try await environment.pool().status)
            #expect(failed.conditions?[type: "Degraded"]?.reason == "APIError")
            #expect(failed.conditions?[type: "Ready"]?.reason == "ScaleFailed")
            try await environment.tick()
            let recovered = try #require(try await environment.pool().status)
            #expect(recovered.conditions?[type: "Degraded"]?.status == .false)
            #expect(recovered.conditions?[type: "Ready"]?.status == .true)
            #expect(try await environment.replicas() == 3)
        }
    }
}
