import Foundation
import KubeAPI
import KubeClient

/// `PoolObservationCache` over the pod and node informers every pool shares.
struct InformerObservationCache: PoolObservationCache {
    let pods: Informer<Pod>
    let nodes: Informer<KubeNode>

    func pods(namespace: String, selector: LabelSelector) -> [Pod] {
        pods.list(namespace: namespace, selector: selector)
    }

    func nodes(selector: LabelSelector) -> [KubeNode] {
        nodes.list(selector: selector)
    }

    func pods(onNodes names: Set<String>) -> [Pod] {
        pods.list().filter { names.contains($0.spec?.nodeName ?? "") }
    }

    var hasSynced: Bool { pods.hasSynced && nodes.hasSynced }

    var outOfSyncSince: Date? { [pods.outOfSyncSince, nodes.outOfSyncSince].compactMap { $0 }.min() }
}
