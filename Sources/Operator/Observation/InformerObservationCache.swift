import Foundation
import KubeAPI
import KubeClient

/// `PoolObservationCache` over the pod, node and namespace informers every pool shares.
struct InformerObservationCache: PoolObservationCache {
    let pods: Informer<Pod>
    let nodes: Informer<KubeNode>
    /// Namespace labels, for pools with a namespace selector; nil when the operator watches one
    /// namespace only (it cannot see other namespaces' pods, so such pools count their own).
    let namespaces: Informer<KubeNamespace>?

    /// Per namespace, through the pod informer's namespace index: a selector that picks two team
    /// namespaces out of hundreds reads only their pods.
    func pods(in scope: DemandNamespaces, selector: LabelSelector) -> [Pod] {
        guard let namespaceSelector = scope.selector, let namespaces else {
            return pods.list(namespace: scope.pool, selector: selector)
        }
        return namespaces.list(selector: namespaceSelector).compactMap(\.metadata.name).sorted()
            .flatMap { pods.list(namespace: $0, selector: selector) }
    }

    func nodes(selector: LabelSelector) -> [KubeNode] {
        nodes.list(selector: selector)
    }

    func pods(onNodes names: Set<String>) -> [Pod] {
        pods.list().filter { names.contains($0.spec?.nodeName ?? "") }
    }

    var hasSynced: Bool { pods.hasSynced && nodes.hasSynced && (namespaces?.hasSynced ?? true) }

    var outOfSyncSince: Date? { [pods.outOfSyncSince, nodes.outOfSyncSince, namespaces?.outOfSyncSince].compactMap { $0 }.min() }
}
