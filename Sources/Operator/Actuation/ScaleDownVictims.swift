import Foundation
import KubeAPI

/// Which of the pool's nodes a TotalNodes scale-down of a Cluster API target removes. Cluster API's
/// MachineSet picks by its deletion order and never looks at pods, so Fleetcast picks itself and
/// marks its picks (see `VictimMarking`): only nodes that run nothing a drain would evict, and never
/// one running a pod annotated `fleetcast.dev/do-not-disrupt` or `karpenter.sh/do-not-disrupt`.
/// Nodes this pool already cordoned go first, then nodes still starting (nothing runs there yet, and
/// the warm pool keeps its ready nodes), then idle ready nodes, oldest first, so the warm pool keeps its
/// newest nodes. Pure.
enum ScaleDownVictims {
    static let doNotDisruptAnnotations = ["fleetcast.dev/do-not-disrupt", "karpenter.sh/do-not-disrupt"]
    /// Set on a node Fleetcast has cordoned to remove it; the value is the pool (`namespace/name`).
    static let markerAnnotation = "fleetcast.dev/scale-down-victim"

    /// Whether `pool` cordoned `node` to remove it.
    static func isMarked(_ node: KubeNode, by pool: String) -> Bool {
        node.metadata.annotations?[markerAnnotation] == pool
    }

    struct Choice: Sendable, Hashable {
        /// The nodes to remove, at most the number asked for.
        var victims: [String]
        /// Nodes that stay because a pod runs on them, by name (the reason fewer were chosen).
        var busy: [String]
    }

    /// Up to `count` removable nodes among `nodes`, given every pod bound to them.
    static func choose(count: Int, nodes: [KubeNode], pods: [Pod], pool: String, resource: String) -> Choice {
        var podsByNode: [String: [Pod]] = [:]
        for pod in pods {
            if let node = pod.spec?.nodeName, !node.isEmpty { podsByNode[node, default: []].append(pod) }
        }
        var removable: [KubeNode] = [], busy: [String] = []
        for node in nodes where node.metadata.deletionTimestamp == nil {
            let name = node.metadata.name ?? ""
            // A node cordoned by someone else is under their care (maintenance, another autoscaler).
            let cordonedByOthers = node.spec?.unschedulable == true && !isMarked(node, by: pool)
            if cordonedByOthers { continue }
            if (podsByNode[name] ?? []).contains(where: blocksRemoval) {
                busy.append(name)
            } else {
                removable.append(node)
            }
        }
        let ordered = removable.sorted { lhs, rhs in
            // Nodes this pool already cordoned keep their place, so a scale-down settling over two reconciles
            // finishes with the nodes it started with.
            let lhsMarked = isMarked(lhs, by: pool)
            if lhsMarked != isMarked(rhs, by: pool) { return lhsMarked }
            let lhsUseful = NodeReadiness.isUseful(lhs, resource: resource), rhsUseful = NodeReadiness.isUseful(rhs, resource: resource)
            if lhsUseful != rhsUseful { return !lhsUseful }
            let lhsCreated = lhs.metadata.creationTimestamp ?? "", rhsCreated = rhs.metadata.creationTimestamp ?? ""
            if lhsCreated != rhsCreated { return lhsCreated < rhsCreated }
            return (lhs.metadata.name ?? "") < (rhs.metadata.name ?? "")
        }
        return Choice(victims: ordered.prefix(max(0, count)).compactMap(\.metadata.name), busy: busy.sorted())
    }

    /// Whether removing the node under `pod` would disrupt it: any pod that has not finished, except
    /// what a Cluster API drain leaves alone (DaemonSet and mirror pods); a do-not-disrupt pod always.
    static func blocksRemoval(_ pod: Pod) -> Bool {
        let annotations = pod.metadata.annotations ?? [:]
        if doNotDisruptAnnotations.contains(where: { annotations[$0] == "true" }) { return true }
        if pod.status?.phase == "Succeeded" || pod.status?.phase == "Failed" { return false }
        if annotations["kubernetes.io/config.mirror"] != nil { return false }
        return !(pod.metadata.ownerReferences ?? []).contains { $0.kind == "DaemonSet" && $0.controller == true }
    }

    /// The Machine behind a node: Cluster API's `cluster.x-k8s.io/machine` annotation on the Node,
    /// in the namespace of `cluster.x-k8s.io/cluster-namespace`, else the target's namespace.
    static func machine(of node: KubeNode, targetNamespace: String) -> MachineReference? {
        guard let name = node.metadata.annotations?["cluster.x-k8s.io/machine"], !name.isEmpty else { return nil }
        let namespace = node.metadata.annotations?["cluster.x-k8s.io/cluster-namespace"] ?? targetNamespace
        return MachineReference(namespace: namespace, name: name)
    }
}

/// A Cluster API Machine by namespace and name.
struct MachineReference: Sendable, Hashable, CustomStringConvertible {
    var namespace: String
    var name: String
    var description: String { "\(namespace)/\(name)" }
}
