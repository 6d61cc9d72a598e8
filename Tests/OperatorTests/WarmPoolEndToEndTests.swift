import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// (b) The warm pool: the operator keeps one idle node ready, so a GPU pod that fits it is bound at
    /// the next scheduling pass instead of waiting three minutes for a node to boot and initialise its
    /// GPUs; the operator then refills the warm pool.
    @Suite struct WarmPoolEndToEndTests {
        @Test func aPodThatFitsTheIdleCapacityBindsWithoutWaitingForANodeStartUp() async throws {
            let yaml = OperatorTestCluster.poolYAML(extra: """
                  startup: {expected: 3m}
                  warmPool: {minIdleNodes: 1}
                """)
            // Nodes take 120 s to boot and 60 s more for their GPUs.
            let environment = try await OperatorTestCluster.start(
                poolYAML: yaml, infrastructure: [OperatorTestCluster.simulatedPool(boot: 120, gpuInit: 60)])
            defer { Task { await environment.stop() } }

            try await environment.reconcile()
            #expect(try await environment.replicas() == 1)
            #expect(try await environment.pool().status?.lastScale?.reason == "ScaledUp")
            for _ in 1...7 { try await environment.tick() }
            let idle = try #require(try await environment.pool().status?.nodes)
            #expect(idle.ready == 1)
            #expect(idle.idle == 1)
            let warmNode = try #require(try await environment.nodes().first)
            #expect(warmNode.status?.allocatable?["nvidia.com/gpu"] == "8")

            // A 4-GPU pod arrives; one second later it runs on the warm node, and no node was added.
            try await environment.createTrainingPod("train-1", gpus: 4)
            try await environment.advance(1)
            let pod = try #require(try await environment.pods().first { $0.metadata.name == "train-1" })
            #expect(pod.spec?.nodeName == warmNode.metadata.name)
            #expect(try await environment.nodes().count == 1)

            // The warm node is busy now, so the operator asks for another idle one.
            try await environment.tick()
            #expect(try await environment.replicas() == 2)
            let status = try #require(try await environment.pool().status)
            #expect(status.demand?.gpus == 4)
            #expect(status.nodes?.desired == 2)
            #expect(status.conditions?[type: "Ready"]?.message.contains("warm") == true,
                    "\(status.conditions?[type: "Ready"]?.message ?? "")")
        }
    }
}
