import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Testing
import VirtualInfrastructure
@testable import Operator

extension OperatorEndToEnd {
    /// (h) Headroom mode: the operator sizes a placeholder Deployment (pause pods requesting a node's
    /// GPUs, in the repository's negative `fleetcast-placeholder` PriorityClass) to the spare nodes the
    /// plan wants, and the node-autoscaler emulation adds the nodes those pods need. A real pod preempts
    /// a placeholder and runs at once on its warm node; the placeholder comes back and pulls in a new
    /// node, while the Deployment keeps the same number of spare nodes.
    @Suite struct HeadroomEndToEndTests {
        static let placeholder = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: a100-placeholder, namespace: gpu}
            spec:
              replicas: 0
              selector: {matchLabels: {app: a100-placeholder}}
              template:
                metadata: {labels: {app: a100-placeholder}}
                spec:
                  priorityClassName: fleetcast-placeholder
                  nodeSelector: {fleetcast.dev/pool: a100}
                  containers:
                  - name: pause
                    image: registry.k8s.io/pause:3.10
                    resources: {limits: {nvidia.com/gpu: "8"}}
            """

        static let poolYAML = """
            apiVersion: fleetcast.dev/v1alpha1
            kind: GPUPool
            metadata: {name: a100, namespace: gpu}
            spec:
              nodes:
                selector: {matchLabels: {fleetcast.dev/pool: a100}}
                gpusPerNode: 8
                max: 4
              target: {apiVersion: apps/v1, kind: Deployment, name: a100-placeholder, semantics: Headroom}
              demand:
                pods:
                  selector: {matchLabels: {app: train}}
              warmPool: {minIdleNodes: 1}
              startup: {expected: 1m}
            """

        @Test func placeholdersKeepAWarmNodeThatARealPodTakesAtOnce() async throws {
            var pool = OperatorTestCluster.simulatedPool(boot: 60)
            pool.minReplicas = 0
            pool.maxReplicas = 4
            pool.nodeAutoscaler = NodeAutoscalerSettings(scaleDownUnneededTime: 3600)
            let priorityClass = try String(contentsOf: OperatorTestCluster.repositoryRoot.appendingPathComponent("deploy/priorityclass.yaml"),
                                           encoding: .utf8)
            let environment = try await OperatorTestCluster.start(poolYAML: Self.poolYAML, infrastructure: [pool],
                                                                  manifests: priorityClass + "\n---\n" + Self.placeholder)
            defer { Task { await environment.stop() } }

            // No demand, one warm node wanted, none there: one placeholder.
            try await environment.reconcile()
            #expect(try await placeholderReplicas(environment) == 1)
            #expect(try await environment.replicas() == 0)
            // The placeholder is unschedulable, the node autoscaler adds a node, it boots, the placeholder runs.
            for _ in 1...4 { try await environment.tick() }
            #expect(try await environment.replicas() == 1)
            let warmNode = try #require(try await environment.nodes().first?.metadata.name)
            let placeholders = try await environment.pods().filter { $0.metadata.labels?["app"] == "a100-placeholder" }
            #expect(placeholders.map(\.spec?.nodeName) == [warmNode])
            let warm = try #require(try await environment.pool().status)
            #expect(warm.nodes?.ready == 1)
            #expect(warm.nodes?.idle == 1)
            #expect(warm.nodes?.desired == 1)
            #expect(try await placeholderReplicas(environment) == 1)

            // A training pod needing a whole node preempts the placeholder and runs on the warm node
            // within two one-second scheduling passes, long before a new node could boot.
            try await environment.createTrainingPod("train-1", gpus: 8)
            try await environment.advance(1)
            try await environment.advance(1)
            let train = try #require(try await environment.pods().first { $0.metadata.name == "train-1" })
            #expect(train.spec?.nodeName == warmNode)
            let readyNodes = try await environment.nodes().filter { node in
                node.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
            }
            #expect(readyNodes.compactMap(\.metadata.name) == [warmNode])

            // The operator still wants one spare node (Headroom: 2 desired − 1 filled by demand), so the
            // Deployment stays at 1; its re-created placeholder makes the autoscaler add the second node.
            try await environment.reconcile()
            #expect(try await placeholderReplicas(environment) == 1)
            #expect(try await environment.pool().status?.nodes?.desired == 2)
            for _ in 1...3 { try await environment.tick() }
            #expect(try await environment.replicas() == 2)
            let placed = try await environment.pods().filter { $0.metadata.labels?["app"] == "a100-placeholder" }
            #expect(placed.count == 1)
            #expect(placed.first?.spec?.nodeName != nil && placed.first?.spec?.nodeName != warmNode)
            let status = try #require(try await environment.pool().status)
            #expect(status.nodes?.ready == 2)
            #expect(status.nodes?.idle == 1)
            #expect(status.demand?.gpus == 8)
            #expect(try await placeholderReplicas(environment) == 1)
        }

        private func placeholderReplicas(_ environment: OperatorTestCluster) async throws -> Int {
            let deployments = ResourceDescriptor(GroupVersionResource(group: "apps", version: "v1", resource: "deployments"), scope: .namespaced,
                                                 kind: "Deployment")
            return Int(try await environment.client.get(deployments, name: "a100-placeholder", namespace: "gpu", subresource: "scale",
                                                        as: Scale.self).spec.replicas)
        }
    }
}
