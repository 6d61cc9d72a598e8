import FleetcastAPI
import Foundation
import KubeAPI

/// What a scale-down that chose its nodes did, for status and events.
struct NodeRemovalReport: Sendable, Hashable {
    /// Machines the plan wanted gone.
    var wanted: Int
    /// Nodes cordoned and whose Machines were annotated before replicas were lowered.
    var removing: [String]
    /// Nodes that stay because pods run there.
    var busy: [String]

    var isBlocked: Bool { removing.count < wanted }
}

/// The marking half of a chosen scale-down, as cluster-autoscaler's clusterapi provider does it:
/// cordon each chosen node (so nothing lands on it meanwhile), annotate its Machine
/// `cluster.x-k8s.io/delete-machine` (the MachineSet deletes annotated Machines before any other),
/// then check the node is still empty, straight from the API server; a node where a pod landed is
/// released again (uncordoned, annotation removed) and decided on at the next reconcile.
struct VictimMarking {
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

    /// Marks `nodes`; returns the ones still empty after marking (the others are released).
    func mark(_ nodes: [KubeNode]) async throws(TargetError) -> [KubeNode] {
        var kept: [KubeNode] = []
        for node in nodes {
            guard let name = node.metadata.name,
                  let machine = ScaleDownVictims.machine(of: node, targetNamespace: namespace) else { continue }
            try await removal.setCordon(name, marked: true, pool: pool)
            try await removal.setDeleteMachine(machine, marked: true, apiVersion: target.apiVersion)
            kept.append(node)
        }
        var empty: [KubeNode] = []
        for node in kept {
            let pods = try await removal.podsBound(to: node.metadata.name ?? "")
            if pods.contains(where: ScaleDownVictims.blocksRemoval) {
                try await release(node)
            } else {
                empty.append(node)
            }
        }
        return empty
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
        nodes.filter { $0.metadata.deletionTimestamp == nil && $0.metadata.annotations?[ScaleDownVictims.markerAnnotation] == pool }
    }
}
