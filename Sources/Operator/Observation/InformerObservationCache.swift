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
    /// CronJobs and Jobs, for schedule discovery (`spec.discovery.cronJobs`).
    let cronJobs: Informer<CronJob>
    let jobs: Informer<Job>

    /// Per namespace, through the pod informer's namespace index: a selector that picks two team
    /// namespaces out of hundreds reads only their pods.
    func pods(in scope: DemandNamespaces, selector: LabelSelector) -> [Pod] {
        list(pods, in: scope, selector: selector)
    }

    func cronJobs(in scope: DemandNamespaces) -> [CronJob] {
        list(cronJobs, in: scope, selector: nil)
    }

    func jobs(in scope: DemandNamespaces) -> [Job] {
        list(jobs, in: scope, selector: nil)
    }

    private func list<Object>(_ informer: Informer<Object>, in scope: DemandNamespaces, selector: LabelSelector?) -> [Object] {
        guard let namespaceSelector = scope.selector, let namespaces else {
            return informer.list(namespace: scope.pool, selector: selector)
        }
        return namespaces.list(selector: namespaceSelector).compactMap(\.metadata.name).sorted()
            .flatMap { informer.list(namespace: $0, selector: selector) }
    }

    func nodes(selector: LabelSelector) -> [KubeNode] {
        nodes.list(selector: selector)
    }

    /// Through the pod informer's node index: the pods of a pool's few nodes, not a scan of every pod
    /// in the cluster (which, at 10,000 pods, was most of a steady reconcile's time).
    func pods(onNodes names: Set<String>) -> [Pod] {
        pods.list(index: Self.podsByNode, values: names)
    }

    /// The pod index by `spec.nodeName` (bound pods only), as controller-runtime's field indexes.
    static let podsByNode = "spec.nodeName"

    /// The indexes the pod informer keeps for this cache.
    static let podIndexers: [String: InformerCache<Pod>.IndexFunction] = [
        podsByNode: { pod in (pod.spec?.nodeName).map { $0.isEmpty ? [] : [$0] } ?? [] },
    ]

    /// CronJobs and Jobs must have been listed once too, so a pool never plans without schedules it
    /// has; their later failures do not make the operator blind (pods and nodes are what it must see).
    var hasSynced: Bool {
        pods.hasSynced && nodes.hasSynced && (namespaces?.hasSynced ?? true) && cronJobs.hasSynced && jobs.hasSynced
    }

    var outOfSyncSince: Date? { [pods.outOfSyncSince, nodes.outOfSyncSince, namespaces?.outOfSyncSince].compactMap { $0 }.min() }
}
