import Foundation
import KubeAPI

/// How the cluster-autoscaler emulation treats a pool. Bounds come from the MachineDeployment's
/// `cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size` / `-max-size` annotations when it
/// carries them (as cluster-autoscaler's clusterapi provider reads them), else from the pool's min/max.
public struct NodeAutoscalerSettings: Sendable, Hashable {
    /// How long a node must run no (non-expendable) pods before it is removed.
    public var scaleDownUnneededTime: TimeInterval
    /// Pods below this priority never cause a scale-up and never keep a node (cluster-autoscaler's
    /// `--expendable-pods-priority-cutoff`, default -10).
    public var expendablePodsPriorityCutoff: Int

    /// cluster-autoscaler's `--enforce-node-group-min-size`: a group below its minimum is scaled up to
    /// it. cluster-autoscaler defaults to false; the emulation to true, which is how a Fleetcast
    /// `MinimumSize` pool needs cluster-autoscaler run (its raised floor then brings nodes ahead of demand).
    public var enforceNodeGroupMinSize: Bool

    public init(scaleDownUnneededTime: TimeInterval = 600, expendablePodsPriorityCutoff: Int = -10, enforceNodeGroupMinSize: Bool = true) {
        self.scaleDownUnneededTime = scaleDownUnneededTime
        self.expendablePodsPriorityCutoff = expendablePodsPriorityCutoff
        self.enforceNodeGroupMinSize = enforceNodeGroupMinSize
    }
}

/// A cluster-autoscaler-like node autoscaler over MachineDeployments: when pods are Unschedulable
/// and a pool's node would fit them, it raises the pool's replicas by the nodes a first-fit packing
/// needs beyond the capacity already on its way; it removes nodes that ran nothing for the
/// unneeded time (annotating their Machine `cluster.x-k8s.io/delete-machine`), within min/max,
/// never a node annotated `cluster-autoscaler.kubernetes.io/scale-down-disabled: "true"`.
/// CapacityBuffers add virtual pods that must fit in the pool's spare capacity: they scale the pool
/// up and keep empty nodes from being removed, as with the real autoscaler's buffers.
struct NodeAutoscaler {
    var pools: [NodePoolConfiguration]
    /// When each node was first seen empty.
    var emptySince: [String: Date] = [:]
    /// Standby nodes whose Machines were marked for deletion, so they are not released twice.
    var releasing: Set<String> = []

    /// Nodes, pods and CapacityBuffers are in `objects`' cluster; MachineDeployments and Machines in
    /// `machines`' (as cluster-autoscaler's clusterapi provider reads them through its management kubeconfig).
    mutating func reconcile(_ objects: ClusterObjects, machines: ClusterObjects, pods: [Pod], priorities: PriorityResolver,
                            context: inout StepContext) async throws {
        let priority = priorities.priority(of:)
        let autoscaled = pools.filter { $0.nodeAutoscaler != nil }
        guard !autoscaled.isEmpty else { return }
        let nodes = try await objects.list("/api/v1/nodes", as: KubeNode.self)
        var waiting = pods.filter { pod in
            pod.needsScheduling && pod.status?.conditions?.contains { $0.type == "PodScheduled" && $0.reason == "Unschedulable" } == true
        }
        let requests = try await CapacityBuffers.requests(objects)
        var buffered = CapacityBuffers.virtualPods(of: requests.filter { !$0.isStandby })
        var standbyRequests = requests.filter(\.isStandby)
        releasing.formIntersection(nodes.compactMap(\.metadata.name))
        for pool in autoscaled {
            guard let settings = pool.nodeAutoscaler else { continue }
            guard let deployment: JSONValue = try await machines.getIfPresent(NodePoolController.machineDeploymentPath(pool)) else { continue }
            let replicas = deployment.at("spec", "replicas")?.integer ?? 0
            let (minimum, maximum) = Self.bounds(of: deployment, pool: pool)
            let allPoolNodes = nodes.filter { $0.metadata.labels?[NodePoolConfiguration.deploymentNameLabel] == pool.machineDeployment }
            // Members of standby buffers are the buffers' own: not capacity for pods until resumed.
            let poolNodes = allPoolNodes.filter { StandbyNode($0).buffer == nil }
            let fitting = waiting.filter { priority($0) >= settings.expendablePodsPriorityCutoff && fits($0, pool) }
            waiting.removeAll { pod in fitting.contains { $0.key == pod.key } }
            let buffer = buffered.filter { fits($0, pool) }.map(\.gpuRequest)
            buffered.removeAll { fits($0, pool) }
            let standbyHere = standbyRequests.filter { fits($0.pod, pool) }
            standbyRequests.removeAll { fits($0.pod, pool) }
            // Capacity on its way: nodes without GPUs yet (resuming ones included), and replicas asked for but not created.
            let booting = poolNodes.filter { $0.allocatableGPUs == 0 }
            let notCreated = max(0, replicas - allPoolNodes.count)
            let upcoming = booting.count + notCreated
            // Pending pods go to upcoming nodes; buffer pods may also use spare GPUs on ready nodes.
            let spare = Self.spareGPUs(on: poolNodes, pods: pods, priority: priority, cutoff: settings.expendablePodsPriorityCutoff)
            let slots = spare + Array(repeating: pool.gpusPerNode, count: upcoming)
            let capacity = StandbyCapacity(
                podsNeed: Self.newNodes(for: fitting.map(\.gpuRequest), nodeGPUs: pool.gpusPerNode, freeSlots: slots),
                freeUpcoming: Self.unusedSlots(for: fitting.map(\.gpuRequest) + buffer, nodeGPUs: pool.gpusPerNode, freeSlots: slots,
                                               counting: spare.count),
                notCreated: notCreated,
                claimable: booting.filter { node in
                    !StandbyNode(node).isSuspended(at: context.now)
                        && !pods.contains { $0.spec?.nodeName == node.metadata.name && !$0.isDaemonSetPod && !$0.isTerminal }
                })
            let standby = try await reconcileStandby(pool, requests: standbyHere, members: allPoolNodes.filter { StandbyNode($0).buffer != nil },
                                                     capacity: capacity, objects: objects, machines: machines, context: &context)
            if standby.released > 0 {
                try await setReplicas(max(0, replicas - standby.released), pool: pool, objects: machines)
                context.record(.nodeScaleDown, "\(pool.namespace)/\(pool.machineDeployment)",
                               "\(replicas)→\(max(0, replicas - standby.released)) releasing standby nodes")
                continue
            }
            let needed = Self.newNodes(for: fitting.map(\.gpuRequest) + buffer, nodeGPUs: pool.gpusPerNode,
                                       freeSlots: slots + Array(repeating: pool.gpusPerNode, count: standby.resumed))
            var target = min(maximum, replicas + needed + standby.newNodes)
            if settings.enforceNodeGroupMinSize { target = max(target, minimum) }
            if target > replicas {
                try await setReplicas(target, pool: pool, objects: machines)
                context.record(.nodeScaleUp, "\(pool.namespace)/\(pool.machineDeployment)", "\(replicas)→\(target) for \(fitting.count) pods")
                continue
            }
            try await scaleDown(pool, settings: settings, nodes: poolNodes, replicas: replicas, minimum: minimum, pods: pods, buffer: buffer,
                                priority: priority, objects: machines, context: &context)
        }
    }

    /// The group's bounds: the MachineDeployment's cluster-autoscaler annotations when they are valid
    /// (a missing min is 0), else the pool's configured min/max.
    static func bounds(of deployment: JSONValue, pool: NodePoolConfiguration) -> (min: Int, max: Int) {
        if case .bounded(let low, let high) = ClusterAutoscalerAnnotations.bounds(in: deployment.objectAnnotations) { return (low, high) }
        return (pool.minReplicas ?? 0, pool.maxReplicas ?? Int.max)
    }

    /// Nodes to add so every request fits, first-fit decreasing into the upcoming nodes then new ones.
    static func newNodes(for requests: [Int], nodeGPUs: Int, upcomingNodes: Int) -> Int {
        newNodes(for: requests, nodeGPUs: nodeGPUs, freeSlots: Array(repeating: nodeGPUs, count: upcomingNodes))
    }

    /// Nodes to add so every request fits, first-fit decreasing into `freeSlots` (free GPUs per
    /// existing or upcoming node) then new nodes.
    static func newNodes(for requests: [Int], nodeGPUs: Int, freeSlots: [Int]) -> Int {
        var free = freeSlots
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

    /// How many of `freeSlots` from index `counting` on are still whole nodes after a first-fit
    /// decreasing packing of `requests`: upcoming nodes nothing pending needs.
    static func unusedSlots(for requests: [Int], nodeGPUs: Int, freeSlots: [Int], counting start: Int) -> Int {
        var free = freeSlots
        for request in requests.sorted(by: >) where request <= nodeGPUs {
            if let index = free.firstIndex(where: { $0 >= request }) { free[index] -= request }
        }
        return free.dropFirst(start).filter { $0 == nodeGPUs }.count
    }

    /// Free GPUs on each GPU-ready node after the pods that count (expendable placeholders give way).
    static func spareGPUs(on nodes: [KubeNode], pods: [Pod], priority: (Pod) -> Int, cutoff: Int) -> [Int] {
        nodes.filter { $0.isReady && $0.allocatableGPUs > 0 }.map { node in
            let used = pods.filter { $0.spec?.nodeName == node.metadata.name && !$0.isTerminal && priority($0) >= cutoff }
                .reduce(0) { $0 + $1.gpuRequest }
            return max(0, node.allocatableGPUs - used)
        }
    }

    func fits(_ pod: Pod, _ pool: NodePoolConfiguration) -> Bool {
        var labels = pool.labels
        labels[NodePoolConfiguration.deploymentNameLabel] = pool.machineDeployment
        return pod.gpuRequest <= pool.gpusPerNode && pod.tolerates(pool.taints)
            && pod.matchesNode(labels: labels, name: "")
    }

    private mutating func scaleDown(_ pool: NodePoolConfiguration, settings: NodeAutoscalerSettings, nodes: [KubeNode], replicas: Int,
                                    minimum: Int, pods: [Pod], buffer: [Int], priority: (Pod) -> Int, objects: ClusterObjects,
                                    context: inout StepContext) async throws {
        var removable: [String] = []
        for node in nodes.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            let name = node.metadata.name ?? ""
            // DaemonSet pods run on every node and never keep one (cluster-autoscaler skips them too).
            let busy = pods.contains {
                $0.spec?.nodeName == name && !$0.isTerminal && !$0.isDaemonSetPod && priority($0) >= settings.expendablePodsPriorityCutoff
            }
            let disabled = node.metadata.annotations?[ClusterAutoscalerAnnotations.scaleDownDisabled] == "true"
            guard node.isReady, node.allocatableGPUs > 0, !busy, !disabled else {
                emptySince[name] = nil
                continue
            }
            let since = emptySince[name] ?? context.now
            emptySince[name] = since
            if context.now.timeIntervalSince(since) >= settings.scaleDownUnneededTime { removable.append(name) }
        }
        // Buffer pods first use spare GPUs on nodes that stay; the empty nodes they still need are kept.
        let staying = nodes.filter { !removable.contains($0.metadata.name ?? "") }
        let spare = Self.spareGPUs(on: staying, pods: pods, priority: priority, cutoff: settings.expendablePodsPriorityCutoff)
        let heldForBuffer = Self.newNodes(for: buffer, nodeGPUs: pool.gpusPerNode, freeSlots: spare)
        let count = min(removable.count - min(heldForBuffer, removable.count), max(0, replicas - minimum))
        guard count > 0 else { return }
        for name in removable.prefix(count) {
            // The Machine the Node names (cluster-autoscaler's clusterapi provider finds it the same way).
            let machine = nodes.first { $0.metadata.name == name }?.metadata.annotations?[NodeShape.machineAnnotation] ?? name
            try await objects.mergePatch("\(NodePoolController.machinesPath(pool.namespace))/\(machine)",
                                         .object(["metadata": .object(["annotations": .object([
                                             ScaleDownOrder.deleteMachineAnnotation: .string("true")])])]))
            emptySince[name] = nil
        }
        try await setReplicas(replicas - count, pool: pool, objects: objects)
        context.record(.nodeScaleDown, "\(pool.namespace)/\(pool.machineDeployment)",
                       "\(replicas)→\(replicas - count): \(removable.prefix(count).joined(separator: ","))")
    }

    func setReplicas(_ replicas: Int, pool: NodePoolConfiguration, objects: ClusterObjects) async throws {
        try await objects.mergePatch("\(NodePoolController.machineDeploymentPath(pool))/scale",
                                     .object(["spec": .object(["replicas": .int(Int64(replicas))])]))
    }
}
