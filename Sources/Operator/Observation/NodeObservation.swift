import Autoscaling
import Foundation
import KubeAPI

/// How one node of the pool stands: useful (Ready and advertising GPUs), or still starting.
/// A node being deleted no longer counts: it is leaving the pool.
enum NodeReadiness {
    static func isReady(_ node: KubeNode) -> Bool {
        readySince(node) != nil
    }

    /// When the node's Ready condition last turned True, or nil when it is not Ready.
    static func readySince(_ node: KubeNode) -> Date? {
        guard let ready = node.status?.conditions?.first(where: { $0.type == "Ready" }), ready.status == "True" else {
            return nil
        }
        return ready.lastTransitionTime.flatMap(KubeTime.parse) ?? node.metadata.creationTimestamp.flatMap(KubeTime.parse)
    }

    static func allocatableGPUs(_ node: KubeNode, resource: String) -> Double {
        node.status?.allocatable?[resource].flatMap(Double.init) ?? 0
    }

    /// Ready and GPU-allocatable: a pod asking for GPUs could be bound here now.
    static func isUseful(_ node: KubeNode, resource: String) -> Bool {
        isReady(node) && allocatableGPUs(node, resource: resource) > 0
    }
}

extension NodeCounts {
    /// Counts the pool's nodes (already filtered by `spec.nodes.selector`). A node is idle when it is
    /// useful and no demand pod is bound to it.
    init(nodes: [KubeNode], pods: [Pod], resource: String) {
        var busy = Set<String>()
        for pod in pods where PodDemand.isDemand(pod) && PodDemand.gpus(requestedBy: pod, resource: resource) > 0 {
            if let node = pod.spec?.nodeName, !node.isEmpty { busy.insert(node) }
        }
        var ready = 0, starting = 0, idle = 0
        for node in nodes where node.metadata.deletionTimestamp == nil {
            if NodeReadiness.isUseful(node, resource: resource) {
                ready += 1
                if !busy.contains(node.metadata.name ?? "") { idle += 1 }
            } else {
                starting += 1
            }
        }
        self.init(ready: ready, starting: starting, idle: idle)
    }
}
