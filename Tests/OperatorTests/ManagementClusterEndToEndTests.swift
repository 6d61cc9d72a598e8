import FleetcastAPI
import Foundation
import KubeAPI
import KubeClient
import Testing
import VirtualInfrastructure
@testable import Operator

extension OperatorEndToEnd {
    /// The operator with `--target-kubeconfig`: two in-process virtual clusters. The management
    /// cluster holds the MachineDeployment and its Machines in namespace `fleet-east` (and no pods or
    /// Nodes); the workload cluster holds the pool, pods, Nodes and events, and has no Cluster API CRDs
    /// at all, so any target read or write that went there would fail. The Machines reference the
    /// workload cluster's Nodes by name (`status.nodeRef`), the Nodes name their Machine and its
    /// namespace in annotations, as Cluster API sets them.
    @Suite struct ManagementClusterEndToEndTests {
        static let managementNamespace = "fleet-east"

        static func poolYAML(nodes: String = "max: 10", extra: String = "") -> String {
            OperatorTestCluster.poolYAML(nodes: nodes, extra: extra)
                .replacingOccurrences(of: "kind: MachineDeployment, name: a100}",
                                      with: "kind: MachineDeployment, name: a100, namespace: \(managementNamespace)}")
        }

        static func simulatedPool(replicas: Int) -> NodePoolConfiguration {
            var pool = OperatorTestCluster.simulatedPool(replicas: replicas)
            pool.namespace = managementNamespace
            pool.deletionOrder = .random
            return pool
        }

        @Test("the scale-up to nodes.min is written to the management cluster's MachineDeployment; status and events stay in the workload cluster")
        func scaleUpWritesTheManagementCluster() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: Self.poolYAML(nodes: "min: 2\n    max: 10"),
                                                                  managementNamespace: Self.managementNamespace)
            defer { Task { await environment.stop() } }
            try await environment.reconcile()
            #expect(try await environment.replicas() == 2)
            #expect(try await environment.condition(.ready)?.reason == "Reconciled")
            #expect(try await environment.eventReasons().contains("ScaledUp"))
            // The workload cluster does not serve Cluster API at all.
            await #expect(throws: (any Error).self) {
                _ = try await environment.client.list(OperatorTestCluster.machineDeployments, namespace: "gpu", options: ListOptions(),
                                                      as: JSONValue.self)
            }
        }

        @Test("scale-down marks the idle node's Machine in the management cluster; with a Random MachineSet no running pod is disrupted")
        func scaleDownMarksTheMachineInTheManagementCluster() async throws {
            let environment = try await OperatorTestCluster.start(
                poolYAML: Self.poolYAML(extra: """
                      startup: {expected: 2m}
                      scaleDown: {stabilizationWindow: 1m, maxNodesPerStep: 1}
                    """),
                infrastructure: [Self.simulatedPool(replicas: 3)], managementNamespace: Self.managementNamespace)
            defer { Task { await environment.stop() } }
            let nodes = try await environment.nodes().sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
            try #require(nodes.count == 3)
            #expect(nodes.allSatisfy { $0.metadata.annotations?["cluster.x-k8s.io/cluster-namespace"] == Self.managementNamespace })
            #expect(try await environment.machines().count == 3)
            let names = nodes.compactMap(\.metadata.name)
            for (index, node) in [names[0], names[2]].enumerated() {
                try await environment.cluster.apply(manifestYAML: """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: job-\(index), namespace: gpu, labels: {app: train}}
                    spec:
                      nodeSelector: {kubernetes.io/hostname: \(node)}
                      containers:
                      - {name: main, image: trainer, resources: {limits: {nvidia.com/gpu: "8"}}}
                    """, file: "job-\(index).yaml")
            }
            try await environment.advance(1)
            #expect(try await environment.pods().allSatisfy { $0.spec?.nodeName != nil })
            try await environment.reconcile()

            // Reconcile until the operator lowers replicas, and look before the MachineSet acts.
            var ticks = 0
            while try await environment.replicas() == 3 {
                ticks += 1
                try #require(ticks <= 6, "the pool never scaled down")
                try await environment.tick(60)
            }
            #expect(try await environment.replicas() == 2)
            let idle = try #require(nodes.first { $0.metadata.name == names[1] })
            let machineName = try #require(idle.metadata.annotations?["cluster.x-k8s.io/machine"])
            let machines = try await environment.machines()
            let marked = machines.filter { $0.annotations[KubeNodeRemoval.deleteMachineAnnotation] == "true" }
            #expect(marked.map(\.objectName) == [machineName], "\(machines.map(\.annotations))")
            #expect(try await environment.nodes().first { $0.metadata.name == names[1] }?.spec?.unschedulable == true)

            for _ in 1...3 { try await environment.tick(60) }
            #expect(try await environment.replicas() == 2)
            #expect(try await environment.nodes().compactMap(\.metadata.name).sorted() == [names[0], names[2]])
            #expect(try await environment.machines().count == 2)
            #expect(await environment.infrastructure?.podsDisruptedByScaleDown == [])
            let scaledDown = try #require(try await environment.events().first { $0.reason == "ScaledDown" })
            #expect(scaledDown.message?.contains("removing node \(names[1])") == true, "\(scaledDown.message ?? "")")
        }

        /// The operator's identity in the management cluster has exactly `deploy/management-cluster/`'s
        /// roles, enforced by RBAC: the chosen scale-down (read, mark a Machine, lower replicas) works,
        /// and what the roles do not grant (pods, another namespace's MachineDeployments) is refused.
        @Test func deployedManagementRolesSufficeAndNoMore() async throws {
            let root = OperatorTestCluster.repositoryRoot.appendingPathComponent("deploy/management-cluster")
            // The token Secret is filled in by a token controller the virtual cluster does not run; the test
            // authenticates the ServiceAccount by a token of its own instead.
            let manifests = try ["namespace.yaml", "serviceaccount.yaml", "clusterrole.yaml", "rolebinding.yaml"]
                .map { try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n---\n")
            let token = "management-operator-token"
            let environment = try await OperatorTestCluster.start(
                poolYAML: Self.poolYAML(extra: """
                      startup: {expected: 2m}
                      scaleDown: {stabilizationWindow: 1m, maxNodesPerStep: 1}
                    """),
                infrastructure: [Self.simulatedPool(replicas: 2)], managementNamespace: Self.managementNamespace,
                managementManifests: manifests,
                configureManagement: { management in
                    management.authorizeWithRBAC = true
                    management.tokens = [token: "system:serviceaccount:fleetcast-system:fleetcast-operator"]
                })
            defer { Task { await environment.stop() } }
            var configuration = try #require(environment.targetKubeconfig)
            configuration.authentication = .bearerToken(token)
            configuration.retry = .never
            let operatorTarget = KubeClient(configuration: configuration)
            let nodes = try await environment.nodes().compactMap(\.metadata.name).sorted()
            try #require(nodes.count == 2)
            try await environment.cluster.apply(manifestYAML: """
                apiVersion: v1
                kind: Pod
                metadata: {name: job, namespace: gpu, labels: {app: train}}
                spec:
                  nodeSelector: {kubernetes.io/hostname: \(nodes[0])}
                  containers:
                  - {name: main, image: trainer, resources: {limits: {nvidia.com/gpu: "8"}}}
                """, file: "job.yaml")
            try await environment.advance(1)
            var ticks = 0
            while try await environment.replicas() == 2 {
                ticks += 1
                let ready = try await environment.condition(.ready)
                try #require(ticks <= 6, "the pool never scaled down: \(ready?.reason ?? "") \(ready?.message ?? "")")
                try await environment.advance(60)
                try await environment.cachesCaughtUp()
                _ = try await environment.reconciler(targetClient: operatorTarget).reconcileAndSave(OperatorTestCluster.key)
            }
            let marked = try await environment.machines().filter { $0.annotations[KubeNodeRemoval.deleteMachineAnnotation] == "true" }
            #expect(marked.count == 1)
            for _ in 1...2 { try await environment.advance(60) }
            #expect(try await environment.nodes().compactMap(\.metadata.name) == [nodes[0]])
            #expect(await environment.infrastructure?.podsDisruptedByScaleDown == [])

            await #expect(throws: KubeError.self) {
                _ = try await operatorTarget.list(Pod.descriptor, namespace: nil, options: ListOptions(), as: JSONValue.self)
            }
            try await environment.management?.apply(manifestYAML: "apiVersion: v1\nkind: Namespace\nmetadata: {name: fleet-west}\n",
                                                     file: "west.yaml")
            await #expect(throws: KubeError.self) {
                _ = try await operatorTarget.get(OperatorTestCluster.machineDeployments, name: "a100", namespace: "fleet-west",
                                                 subresource: "scale", as: JSONValue.self)
            }
        }
    }
}

private extension JSONValue {
    var objectName: String {
        guard case .object(let root) = self, case .object(let metadata)? = root["metadata"], case .string(let name)? = metadata["name"] else { return "" }
        return name
    }
}
