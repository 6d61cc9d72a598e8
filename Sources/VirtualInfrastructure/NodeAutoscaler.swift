import Foundation
import KubeAPI

/// How the cluster-autoscaler emulation treats a pool (bounds come from the pool's min/max).
public struct NodeAutoscalerSettings: Sendable, Hashable {
    /// How long a node must run no (non-expendable) pods before it is removed.
    public var scaleDownUnneededTime: TimeInterval
    /// Pods below this priority never cause a scale-up and never keep a node (cluster-autoscaler's
    /// `--expendable-pods-priority-cutoff`, default -10).
    public var expendablePodsPriorityCutoff: Int

    public init(scaleDownUnneededTime: TimeInterval = 600, expendablePodsPriorityCutoff: Int = -10) {
        self.scaleDownUnneededTime = scaleDownUnneededTime
        self.expendablePodsPriorityCutoff = expendablePodsPriorityCutoff
    }
}

/// A cluster-autoscaler-like node autoscaler over MachineDeployments: when pods are Unschedulable
/// and a pool's node would fit them, it raises the pool's replicas by the nodes a first-fit packing
/// needs beyond the capacity already on its way; it removes nodes that ran nothing for the
/// unneeded time (annotating their Machine `cluster.x-k8s.io/delete-machine`), within min/max.
struct NodeAutoscaler {
    var pools: [NodePoolConfiguration]
    /// When each node was first seen empty.
    var emptySince: [String: Date] = [:]

    mutating func reconcile(_ objects: ClusterObjects, pods: [Pod], priorities: PriorityResolver, context: inout StepContext) async throws {
        let priority = priorities.priority(of:)
        let autoscaled = pools.filter { $0.nodeAutoscaler != nil }
        guard !autoscaled.isEmpty else { return }
        let nodes = try await objects.list("/api/v1/nodes", as: KubeNode.self)
        var waiting = pods.filter { pod in
            pod.needsScheduling && pod.status?.conditions?.contains { $0.type == "PodScheduled" && $0.reason == "Unschedulable" } == true
        }
        for pool in autoscaled {
            guard let settings = pool.nodeAutoscaler else { continue }
            guard let deployment: JSONValue = try await objects.getIfPresent(NodePoolController.machineDeploymentPath(pool)) else { continue }
            let replicas = deployment.at("spec", "replicas")?.integer ?? 0
            let poolNodes = nodes.filter { $0.metadata.labels?[NodePoolConfiguration.deploymentNameLabel] == pool.machineDeployment }
            let fitting = waiting.filter { priority($0) >= settings.expendablePodsPriorityCutoff && fits($0, pool) }
            waiting.removeAll { pod in fitting.contains { $0.key == pod.key } }
            // Capacity on its way: nodes without GPUs yet, and replicas asked for but not created.
            let upcoming = poolNodes.filter { $0.allocatableGPUs == 0 }.count + max(0, replicas - poolNodes.count)
            let needed = Self.newNodes(for: fitting.map(\.gpuRequest), nodeGPUs: pool.gpusPerNode, upcomingNodes: upcoming)
            var target = min(pool.maxReplicas ?? Int.max, replicas + needed)
            target = max(target, pool.minReplicas ?? 0)
            if target > replicas {
                try await setReplicas(target, pool: pool, objects: objects)
                context.record(.nodeScaleUp, "\(pool.namespace)/\(pool.machineDeployment)", "\(replicas)→\(target) for \(fitting.count) pods")
                continue
            }
            try await scaleDown(pool, settings: settings, nodes: poolNodes, replicas: replicas, pods: pods, priority: priority,
                                objects: objects, context: &context)
        }
    }

    /// Nodes to add so every request fits, first-fit decreasing into the upcoming nodes then new ones.
    static func newNodes(for requests: [Int], nodeGPUs: Int, upcomingNodes: Int) -> Int {
        var free = Array(repeating: nodeGPUs, count: upcomingNodes)
        var added = 0
        for request in requests.sorted(by: >) where request <= nodeGPUs {
            if let index = free.firstIndex(where: { $0 >= request }) {
                free[index] -= request
            } else {
                free.append(nodeGPUs - request)
                added += 1
            }
        }
        return added
    }

    private func fits(_ pod: Pod, _ pool: NodePoolConfiguration) -> Bool {
        var labels = pool.labels
        labels[NodePoolConfiguration.deploymentNameLabel] = pool.machineDeployment
        return pod.gpuRequest <= pool.gpusPerNode && pod.tolerates(pool.taints)
            && (pod.spec?.nodeSelector ?? [:]).allSatisfy { labels[$0.key] == $0.value }
    }

    private mutating func scaleDown(_ pool: NodePoolConfiguration, settings: NodeAutoscalerSettings, nodes: [KubeNode], replicas: Int,
                                    pods: [Pod], priority: (Pod) -> Int, objects: ClusterObjects, context: inout StepContext) async throws {
        var removable: [String] = []
        for node in nodes.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            let name = node.metadata.name ?? ""
            let busy = pods.contains { $0.spec?.nodeName == name && !$0.isTerminal && priority($0) >= settings.expendablePodsPriorityCutoff }
            guard node.isReady, node.allocatableGPUs > 0, !busy else {
                emptySince[name] = nil
                continue
            }
            let since = emptySince[name] ?? context.now
            emptySince[name] = since
            if context.now.timeIntervalSince(since) >= settings.scaleDownUnneededTime { removable.append(name) }
        }
        let count = min(removable.count, max(0, replicas - (pool.minReplicas ?? 0)))
        guard count > 0 else { return }
        for name in removable.prefix(count) {
            try await objects.mergePatch("\(NodePoolController.machinesPath(pool.namespace))/\(name)",
                                         .object(["metadata": .object(["annotations": .object([
                                             ScaleDownOrder.deleteMachineAnnotation: .string("true")])])]))
            emptySince[name] = nil
        }
        try await setReplicas(replicas - count, pool: pool, objects: objects)
        context.record(.nodeScaleDown, "\(pool.namespace)/\(pool.machineDeployment)",
                       "\(replicas)→\(replicas - count): \(removable.prefix(count).joined(separator: ","))")
    }

    private func setReplicas(_ replicas: Int, pool: NodePoolConfiguration, objects: ClusterObjects) async throws {
        try await objects.mergePatch("\(NodePoolController.machineDeploymentPath(pool))/scale",
                                     .object(["spec": .object(["replicas": .int(Int64(replicas))])]))
    }
}
