import FleetcastAPI
import Foundation
import KubeAPI

/// What a scale-down that chose its nodes did, for status and events.
struct NodeRemovalReport: Sendable, Hashable {
    /// Machines the plan wanted gone.
    var wanted: Int
    /// Nodes that stayed empty through the settling time: their Machines were annotated and replicas lowered.
    var removing: [String]
    /// Nodes cordoned and still settling (`VictimMarking.settle`): they go at a later reconcile if still empty.
    var settling: [String] = []
    /// Nodes that stay because pods run there.
    var busy: [String]

    /// Fewer nodes on their way out than wanted: busy nodes kept some.
    var isBlocked: Bool { removing.count + settling.count < wanted }
    /// The scale-down is not finished: nodes were kept (busy) or are still settling, so it stays wanted.
    var isPending: Bool { isBlocked || !settling.isEmpty }
}

/// What `VictimMarking.mark` found.
struct MarkingResult: Sendable {
    /// Nodes that stayed empty for `VictimMarking.settle` since they were cordoned; their Machines are
    /// annotated and may go now.
    var ready: [KubeNode] = []
    /// Nodes cordoned less than `VictimMarking.settle` ago and still empty.
    var settling: [KubeNode] = []
    /// Nodes released (uncordoned) because a pod runs there.
    var released: [String] = []
    /// When each still-marked node was first cordoned, for the next reconcile.
    var markedAt: [String: Date] = [:]
}

/// The marking half of a chosen scale-down, in two phases, after cluster-autoscaler's clusterapi
/// provider and Karpenter's revalidation:
///
/// 1. cordon each chosen node (so nothing new is scheduled there) and record when;
/// 2. at a later reconcile, once the node has stayed empty for `settle`, annotate its Machine
///    `cluster.x-k8s.io/delete-machine` (the MachineSet deletes annotated Machines before any other) and
///    check, straight from the API server, that it is still empty; only then may replicas go down.
///
/// Why wait: a cordon stops new scheduling decisions, not ones already made. kube-scheduler binds a pod
/// after its scheduling cycle, asynchronously, and a gang-scheduled training job waits at the permit
/// stage until all its members have a node, so a pod may be bound to a node well after the cordon and
/// after a check that found the node empty. Karpenter revalidates its consolidation choice after 15 s
/// for the same reason. The Machine is annotated only in the second phase: the MachineSet orders
/// annotated Machines among themselves by name (`machineset_delete_policy.go`), so a settling node that
/// carried the annotation could go instead of a settled one. A node where a pod landed is released again
/// (uncordoned, annotation removed) and decided on afresh.
struct VictimMarking {
    /// How long a cordoned node must stay empty before its Machine may go.
    static let settle: TimeInterval = 15

    var removal: any NodeRemovalAPI
    var target: ScaleTargetSpec
    var namespace: String
    /// The pool doing it (`namespace/name`), recorded on the nodes it cordons.
    var pool: String

    /// Whether the target is one whose Machines can be marked: a Cluster API MachineDeployment or
    /// MachineSet scaled as the pool's total node count.
    static func applies(to spec: GPUPoolSpec) -> Bool {
        spec.effectiveSemantics == .totalNodes && spec.target.apiVersion.hasPrefix("cluster.x-k8s.io/")
            && ["MachineDeployment", "MachineSet"].contains(spec.target.kind)
    }

    /// Marks `nodes` (cordoned at `markedAt`, by this process, when they were already), and returns which
    /// may go now, which are still settling, and which were released because a pod runs there.
    func mark(_ nodes: [KubeNode], markedAt earlier: [String: Date], now: Date) async throws(TargetError) -> MarkingResult {
        var result = MarkingResult()
        var candidates: [(node: KubeNode, settled: Bool)] = []
        for node in nodes {
            guard let name = node.metadata.name,
                  let machine = ScaleDownVictims.machine(of: node, targetNamespace: namespace) else { continue }
            let since = earlier[name] ?? now
            let settled = now.timeIntervalSince(since) >= Self.settle
            try await removal.setCordon(name, marked: true, pool: pool)
            if settled { try await removal.setDeleteMachine(machine, marked: true, apiVersion: target.apiVersion) }
            result.markedAt[name] = since
            candidates.append((node, settled))
        }
        for (node, settled) in candidates {
            let name = node.metadata.name ?? ""
            let pods = try await removal.podsBound(to: name)
            if pods.contains(where: ScaleDownVictims.blocksRemoval) {
                try await release(node)
                result.markedAt[name] = nil
                result.released.append(name)
            } else if settled {
                result.ready.append(node)
            } else {
                result.settling.append(node)
            }
        }
        return result
    }

    /// Undoes `mark` for one node.
    func release(_ node: KubeNode) async throws(TargetError) {
        guard let name = node.metadata.name else { return }
        if let machine = ScaleDownVictims.machine(of: node, targetNamespace: namespace) {
            try await removal.setDeleteMachine(machine, marked: false, apiVersion: target.apiVersion)
        }
        try await removal.setCordon(name, marked: false, pool: pool)
    }

    /// Nodes this pool marked earlier, among `nodes`.
    func marked(among nodes: [KubeNode]) -> [KubeNode] {
        nodes.filter { $0.metadata.deletionTimestamp == nil && ScaleDownVictims.isMarked($0, by: pool) }
    }
}
