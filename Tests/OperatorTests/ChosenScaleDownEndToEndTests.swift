import FleetcastAPI
import Foundation
import KubeAPI
import Testing
import VirtualInfrastructure
@testable import Operator

extension OperatorEndToEnd {
    /// Scale-down of a Cluster API MachineDeployment whose MachineSet deletes at random (by name,
    /// never looking at pods): the operator cordons idle nodes and annotates their Machines
    /// `cluster.x-k8s.io/delete-machine` before lowering replicas, so no running pod is disrupted.
    @Suite struct ChosenScaleDownEndToEndTests {
        static let pool = OperatorTestCluster.poolYAML(extra: """
              startup: {expected: 2m}
              scaleDown: {stabilizationWindow: 1m, maxNodesPerStep: 1}
            """)

        /// Six full nodes; their training jobs end one every five minutes in an order interleaved with
        /// the nodes', so each scale-down has busy nodes on both sides of the idle one. Returns the
        /// pods disrupted and the ScaledDown events.
        static func run(seed: UInt64, marking: Bool) async throws -> (disrupted: [String], scaledDown: [Event], nodesLeft: Int) {
            var infrastructure = OperatorTestCluster.simulatedPool(replicas: 6)
            infrastructure.deletionOrder = .random
            let environment = try await OperatorTestCluster.start(poolYAML: pool, infrastructure: [infrastructure], seed: seed)
            defer { Task { await environment.stop() } }
            for (index, minutes) in [15, 5, 25, 10, 30, 20].enumerated() {
                try await environment.cluster.apply(manifestYAML: """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: job-\(index)
                      namespace: gpu
                      labels: {app: train}
                      annotations: {fleetcast.dev/duration-seconds: "\(minutes * 60)"}
                    spec:
                      containers:
                      - {name: main, image: trainer, resources: {limits: {nvidia.com/gpu: "8"}}}
                    """, file: "job-\(index).yaml")
            }
            try await environment.advance(1)
            #expect(try await environment.pods().allSatisfy { $0.spec?.nodeName != nil })
            let reconciler = { environment.reconciler(marksVictims: marking) }
            try await environment.cachesCaughtUp()
            _ = try await reconciler().reconcileAndSave(OperatorTestCluster.key)
            for _ in 1...36 {
                try await environment.advance(60)
                try await environment.cachesCaughtUp()
                _ = try await reconciler().reconcileAndSave(OperatorTestCluster.key)
            }
            let disrupted = await environment.infrastructure?.podsDisruptedByScaleDown ?? []
            let events = try await environment.events().filter { $0.reason == "ScaledDown" }
            return (disrupted, events, try await environment.nodes().count)
        }

        @Test(arguments: [UInt64(1), 2, 3])
        func markingIdleNodesDisruptsNoRunningPod(seed: UInt64) async throws {
            let result = try await Self.run(seed: seed, marking: true)
            #expect(result.disrupted.isEmpty, "seed \(seed): \(result.disrupted)")
            #expect(result.nodesLeft == 0)
            #expect(result.scaledDown.count >= 6)
            #expect(result.scaledDown.allSatisfy { $0.message?.contains("removing node") == true },
                    "\(result.scaledDown.compactMap(\.message))")
        }

        /// The same scenario without the marking: the MachineSet's Random order picks busy nodes.
        @Test func withoutMarkingTheMachineSetDisruptsRunningPods() async throws {
            var disrupted: [String] = []
            for seed: UInt64 in [1, 2, 3] {
                disrupted += try await Self.run(seed: seed, marking: false).disrupted
            }
            #expect(!disrupted.isEmpty)
        }

        /// Busy nodes (a pod outside the pool's demand, and a do-not-disrupt pod) stay; only the idle
        /// node goes, and the pool says why it is larger than planned.
        @Test func busyNodesBlockTheRestOfTheScaleDown() async throws {
            let yaml = OperatorTestCluster.poolYAML(extra: """
                  startup: {expected: 2m}
                  scaleDown: {stabilizationWindow: 1m, maxNodesPerStep: 3}
                """)
            let environment = try await OperatorTestCluster.start(poolYAML: yaml, infrastructure: [OperatorTestCluster.simulatedPool(replicas: 3)])
            defer { Task { await environment.stop() } }
            let nodes = try await environment.nodes().compactMap(\.metadata.name).sorted()
            try #require(nodes.count == 3)
            try await environment.cluster.apply(manifestYAML: """
                apiVersion: v1
                kind: Namespace
                metadata: {name: other}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: inference, namespace: other}
                spec:
                  nodeSelector: {kubernetes.io/hostname: \(nodes[0])}
                  containers:
                  - {name: main, image: server, resources: {limits: {nvidia.com/gpu: "8"}}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: checkpointer, namespace: gpu, annotations: {karpenter.sh/do-not-disrupt: "true"}}
                spec:
                  nodeSelector: {kubernetes.io/hostname: \(nodes[2])}
                  containers:
                  - {name: main, image: sidecar}
                """, file: "busy.yaml")
            try await environment.advance(1)
            try await environment.reconcile()
            for _ in 1...4 { try await environment.tick(60) }
            #expect(try await environment.replicas() == 2)
            #expect(try await environment.nodes().compactMap(\.metadata.name).sorted() == [nodes[0], nodes[2]])
            #expect(await environment.infrastructure?.podsDisruptedByScaleDown == [])
            let ready = try #require(try await environment.condition(.ready))
            #expect(ready.reason == "ScaleDownBlockedByBusyNodes")
            #expect(ready.message.contains(nodes[0]) && ready.message.contains(nodes[2]), "\(ready.message)")
            let blocked = try await environment.events().filter { $0.reason == "ScaleDownBlockedByBusyNodes" }
            #expect(!blocked.isEmpty)
            let scaledDown = try #require(try await environment.events().first { $0.reason == "ScaledDown" })
            #expect(scaledDown.message?.contains("removing node \(nodes[1])") == true, "\(scaledDown.message ?? "")")
            // The busy nodes were never cordoned.
            #expect(try await environment.nodes().allSatisfy { $0.spec?.unschedulable != true })
        }
    }
}
