import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import Logging
import ServiceLifecycle

/// The informers every replica runs (leader or not, so a new leader starts with warm caches) and the
/// mapping of their changes to pool keys: a pool change enqueues the pool; a pod or node change
/// enqueues every pool whose selector matches it, before and after the change; a namespace change
/// enqueues every pool whose namespace selector matches its labels, before or after.
public final class PoolWatches: Service, Sendable {
    let pools: Informer<PoolSelectors>
    let pods: Informer<Pod>
    let nodes: Informer<KubeNode>
    /// Namespace labels for `spec.demand.pods.namespaceSelector`; only when watching every namespace.
    let namespaces: Informer<KubeNamespace>?
    let enqueue: @Sendable (ObjectKey) -> Void
    let logger: Logger

    /// - Parameters:
    ///   - namespace: watch pools and pods in one namespace only, or all when nil.
    ///   - enqueue: where pool keys go (the GPUPool controller's queue).
    ///   - now: the clock that stamps when a cache started failing (the reconciler's clock).
    ///   - backoff: the informers' re-list and re-watch backoff (client-go's reflector schedule).
    public init(client: KubeClient, namespace: String?, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
                backoff: ExponentialBackoff = .reflector, enqueue: @escaping @Sendable (ObjectKey) -> Void) {
        pools = Informer(client: client, namespace: namespace, backoff: backoff, now: now)
        pods = Informer(client: client, namespace: namespace, backoff: backoff, now: now)
        nodes = Informer(client: client, backoff: backoff, now: now)
        namespaces = namespace == nil ? Informer(client: client, backoff: backoff, now: now) : nil
        self.enqueue = enqueue
        self.logger = logger
    }

    /// Whether every cache has been filled once (what `/readyz` reports).
    public var hasSynced: Bool { pools.hasSynced && pods.hasSynced && nodes.hasSynced && (namespaces?.hasSynced ?? true) }

    /// The pod and node caches, as the reconciler reads them.
    var observationCache: InformerObservationCache { InformerObservationCache(pods: pods, nodes: nodes, namespaces: namespaces) }

    public func run() async throws {
        logger.info("Starting informers")
        // Stops on graceful shutdown; the service group shuts the controllers down before this.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.pools.run() }
                group.addTask { await self.pods.run() }
                group.addTask { await self.nodes.run() }
                group.addTask {
                    for await change in self.pools.changes() {
                        let key = change.object.key
                        self.enqueue(ObjectKey(namespace: key.namespace, name: key.name))
                    }
                }
                group.addTask {
                    for await change in self.pods.changes() {
                        self.enqueuePools { pool in
                            Self.versions(of: change).contains { pool.concerns(pod: $0, namespaceLabels: self.labels(ofNamespace: $0.metadata.namespace)) }
                        }
                    }
                }
                if let namespaces = self.namespaces {
                    group.addTask { await namespaces.run() }
                    group.addTask {
                        for await change in namespaces.changes() {
                            self.enqueuePools { pool in Self.versions(of: change).contains { pool.concerns(namespace: $0) } }
                        }
                    }
                }
                group.addTask {
                    for await change in self.nodes.changes() {
                        self.enqueuePools { pool in Self.versions(of: change).contains { pool.concerns(node: $0) } }
                    }
                }
                await group.waitForAll()
            }
        }
        logger.info("Stopped informers")
    }

    private func enqueuePools(where concerned: (PoolSelectors) -> Bool) {
        for pool in pools.list() where concerned(pool) {
            let key = pool.key
            enqueue(ObjectKey(namespace: key.namespace, name: key.name))
        }
    }

    private func labels(ofNamespace name: String?) -> [String: String]? {
        guard let namespaces, let name else { return nil }
        return namespaces.get(namespace: nil, name: name).map { $0.metadata.labels ?? [:] }
    }

    private static func versions<Object>(of change: InformerChange<Object>) -> [Object] {
        if case .updated(let old, let new) = change { return [old, new] }
        return [change.object]
    }
}
