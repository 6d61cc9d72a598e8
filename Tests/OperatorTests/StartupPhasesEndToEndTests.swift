import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// Phases learned per pool, end to end: the virtual infrastructure pulls each new node's image for
    /// four minutes and loads the model for one before the pod is Ready; the operator reads the
    /// kubelet's timestamps, reports each phase in `status.startup`, and plans with a lead time from
    /// asking for a node to a serving pod — longer than node readiness alone.
    @Suite struct StartupPhasesEndToEndTests {
        @Test func aPoolWhosePodsTakeMinutesToPullLearnsALongerLeadTimeThanNodeReadiness() async throws {
            let yaml = OperatorTestCluster.poolYAML(extra: """
                  startup: {expected: 1m}
                """)
            var simulated = OperatorTestCluster.simulatedPool(boot: 60, gpuInit: 30)
            simulated.imagePullDelay = .fixed(240)
            simulated.cachedImagePullDelay = .fixed(2)
            simulated.modelLoadDelay = .fixed(60)
            let environment = try await OperatorTestCluster.start(poolYAML: yaml, infrastructure: [simulated])
            defer { Task { await environment.stop() } }

            // Five 8-GPU servers arrive at once: five nodes, each with one cold pull.
            for index in 1...5 { try await environment.createTrainingPod("server-\(index)", gpus: 8) }
            try await environment.advance(1)
            try await environment.reconcile()
            #expect(try await environment.replicas() == 5)
            // 90 s to useful nodes, 240 s pulling, 60 s loading; a few ticks more.
            for _ in 1...15 { try await environment.tick() }

            let pods = try await environment.pods()
            #expect(pods.count == 5)
            #expect(pods.allSatisfy { pod in pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true })
            let startup = try #require(try await environment.pool().status?.startup)
            let phases = Dictionary(uniqueKeysWithValues: (startup.phases ?? []).map { ($0.name, $0) })
            #expect(phases["NodeReady"]?.p50?.seconds == 60)
            #expect(phases["GPUReady"]?.p50?.seconds == 30)
            #expect(phases["ImagePull"]?.p50?.seconds == 240)
            #expect(phases["ImagePull"]?.samples == 5)
            #expect(phases["ModelLoad"]?.p90?.seconds == 60)
            #expect(phases["Scheduling"]?.samples == 5)
            #expect(phases["Scheduling"]?.p90?.seconds == 0)
            // The virtual infrastructure creates each Node with its Machine: provisioning is measured, and short.
            #expect(phases["Provisioning"]?.samples == 5)
            #expect(phases["Provisioning"]?.p90?.seconds == 0)
            // The phases come in the order they happen.
            #expect((startup.phases ?? []).map(\.name) == ["Provisioning", "NodeReady", "GPUReady", "Scheduling", "ImagePull", "ModelLoad"])

            // Node readiness alone says 90 s; the lead time adds the pull and the load.
            let nodeStartup = try #require(startup.p90?.seconds)
            #expect(nodeStartup == 90)
            let lead = try #require(startup.leadTime?.seconds)
            #expect(lead == nodeStartup + 240 + 60)
            // The forecast reaches that far ahead.
            #expect(try #require(try await environment.pool().status?.forecast?.horizon?.seconds) >= lead)
        }
    }
}
