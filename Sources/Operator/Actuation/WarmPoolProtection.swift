import FleetcastAPI
import Foundation
import KubeAPI

/// Keeps a node autoscaler that shares the pool from removing its warm pool. cluster-autoscaler
/// removes any node that stays unneeded for its `--scale-down-unneeded-time`, and a warm node is
/// unneeded by design until demand arrives; a Node annotated
/// `cluster-autoscaler.kubernetes.io/scale-down-disabled: "true"` is never removed. Fleetcast sets it
/// on the nodes that are the warm pool now (idle, GPU-ready, newest first: the ones a Fleetcast
/// scale-down keeps last) and removes it from nodes it protected earlier that are not any more,
/// recording its own with `fleetcast.dev/warm-pool` so an annotation someone else set is never
/// touched. Pure; the reconciler makes the calls.
enum WarmPoolProtection {
    /// Set beside the scale-down-disabled annotation on the nodes Fleetcast protects; the value is
    /// the pool (`namespace/name`).
    static let markerAnnotation = "fleetcast.dev/warm-pool"

    /// Pools that share their nodes with a node autoscaler: MinimumSize (cluster-autoscaler scales
    /// the target) and Headroom (a reactive autoscaler turns the headroom into nodes).
    static func applies(to spec: GPUPoolSpec) -> Bool {
        spec.effectiveMode == .active && [.minimumSize, .headroom].contains(spec.effectiveSemantics)
    }

    /// The nodes to protect and to release, given the pool's nodes, the pods bound to them and the
    /// plan's warm node count.
    static func changes(warmNodes count: Int, nodes: [KubeNode], pods: [Pod], pool: String,
                        resource: String) -> (protect: [String], release: [String]) {
        let busy = Set(pods.filter(ScaleDownVictims.blocksRemoval).compactMap(\.spec?.nodeName))
        let idle = nodes.filter { node in
            node.metadata.deletionTimestamp == nil && node.spec?.unschedulable != true
                && !busy.contains(node.metadata.name ?? "") && NodeReadiness.isUseful(node, resource: resource)
        }
        let warm = idle.sorted { lhs, rhs in
            let lhsCreated = lhs.metadata.creationTimestamp ?? "", rhsCreated = rhs.metadata.creationTimestamp ?? ""
            if lhsCreated != rhsCreated { return lhsCreated > rhsCreated }
            return (lhs.metadata.name ?? "") < (rhs.metadata.name ?? "")
        }.prefix(max(0, count))
        let chosen = Set(warm.compactMap(\.metadata.name))
        var protect: [String] = [], release: [String] = []
        for node in nodes {
            let name = node.metadata.name ?? "", annotations = node.metadata.annotations ?? [:]
            let ours = annotations[markerAnnotation] == pool
            let disabled = annotations[ClusterAutoscalerAnnotations.scaleDownDisabled] == "true"
            if chosen.contains(name) {
                // Already protected (by us, or by someone else whose annotation is theirs to remove).
                if !disabled { protect.append(name) }
            } else if ours {
                release.append(name)
            }
        }
        return (protect.sorted(), release.sorted())
    }
}
