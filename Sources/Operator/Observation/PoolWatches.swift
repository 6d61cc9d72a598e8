import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import Logging
import ServiceLifecycle

/// The informers every replica runs (leader or not, so a new leader starts with warm caches) and the
/// mapping of their changes to pool keys: a pool change enqueues the pool, unless only its status
/// changed (`worthReconciling`); a pod or node change
/// enqueues every pool whose selector matches it, before and after the change; a namespace change
/// enqueues every pool whose namespace selector matches its labels, before or after.
public final class PoolWatches: Service, Sendable {
    let pools: Informer<PoolSelectors>
    let pods: Informer<Pod>
    let nodes: Informer<KubeNode>
    /// Namespace labels for `spec.demand.pods.namespaceSelector`; only when watching every namespace.
    let namespaces: Informer<KubeNamespace>?
    /// CronJobs and their Jobs, for schedule discovery; a change enqueues the pools whose demand
    /// namespaces hold it.
    let cronJobs: Informer<CronJob>
    let jobs: Informer<Job>
    let enqueue: @Sendable (ObjectKey) -> Void
    let logger: Logger
    /// Logs when a cache goes blind and recovers; `/readyz` asks it which caches are blind.
    let watchdog: ObservationWatchdog

    /// - Parameters:
    ///   - namespace: watch pools and pods in one namespace only, or all when nil.
    ///   - enqueue: where pool keys go (the GPUPool controller's queue).
    ///   - now: the clock that stamps when a cache started failing (the reconciler's clock).
    ///   - backoff: the informers' re-list and re-watch backoff (client-go's reflector schedule).
    ///   - staleObservationLimit: how long a cache may be out of sync before the operator is blind
    ///     (warned about in the log, and not ready).
    public init(client: KubeClient, namespace: String?, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
                backoff: ExponentialBackoff = .reflector, staleObservationLimit: Duration = .seconds(60),
                enqueue: @escaping @Sendable (ObjectKey) -> Void) {
        let pools = Informer<PoolSelectors>(client: client, namespace: namespace, backoff: backoff, now: now)
        let pods = Informer<Pod>(client: client, namespace: namespace, backoff: backoff, now: now,
                                 indexers: InformerObservationCache.podIndexers)
        let nodes = Informer<KubeNode>(client: client, backoff: backoff, now: now)
        let namespaces: Informer<KubeNamespace>? = namespace == nil ? Informer(client: client, backoff: backoff, now: now) : nil
        self.pools = pools
        self.pods = pods
        self.nodes = nodes
        self.namespaces = namespaces
        cronJobs = Informer<CronJob>(client: client, namespace: namespace, backoff: backoff, now: now)
        jobs = Informer<Job>(client: client, namespace: namespace, backoff: backoff, now: now)
        self.enqueue = enqueue
        self.logger = logger
        watchdog = ObservationWatchdog(caches: [
            .init(name: "GPUPool", outOfSyncSince: { pools.outOfSyncSince }, lastError: { pools.lastError }),
            .init(name: "pod", outOfSyncSince: { pods.outOfSyncSince }, lastError: { pods.lastError }),
            .init(name: "node", outOfSyncSince: { nodes.outOfSyncSince }, lastError: { nodes.lastError }),
        ] + (namespaces.map { namespaces in
            [.init(name: "namespace", outOfSyncSince: { namespaces.outOfSyncSince }, lastError: { namespaces.lastError })]
        } ?? []), staleLimit: staleObservationLimit.timeInterval, now: now, logger: logger)
    }

    /// Whether every cache has been filled once.
    public var hasSynced: Bool {
        pools.hasSynced && pods.hasSynced && nodes.hasSynced && (namespaces?.hasSynced ?? true) && cronJobs.hasSynced && jobs.hasSynced
    }

    /// What `/readyz` reports: not ready until every cache has synced once, and not ready while any
    /// cache has been out of sync with the API server for longer than the stale limit (the operator
    /// is blind then and holds every pool). Ready again as soon as the caches recover.
    public var readiness: Readiness {
        guard hasSynced else { return .notSynced }
        let blind = watchdog.blindCaches()
        return blind.isEmpty ? .ready : .blind(caches: blind)
    }

    public enum Readiness: Sendable, Hashable {
        case ready
        case notSynced
        case blind(caches: [String])

        public var isReady: Bool { self == .ready }

        /// The probe's body.
        public var message: String {
            switch self {
            case .ready: "ok"
            case .notSynced: "informers not synced"
            case .blind(let caches): "out of sync with the API server beyond the stale limit: \(caches.joined(separator: ", ")) cache"
            }
        }
    }

    /// The pod and node caches, as the reconciler reads them.
    var observationCache: InformerObservationCache {
        InformerObservationCache(pods: pods, nodes: nodes, namespaces: namespaces, cronJobs: cronJobs, jobs: jobs)
    }

    public func run() async throws {
        logger.info("Starting informers")
        // Stops on graceful shutdown; the service group shuts the controllers down before this.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.pools.run() }
                group.addTask { await self.pods.run() }
                group.addTask { await self.nodes.run() }
                group.addTask { await self.cronJobs.run() }
                group.addTask { await self.jobs.run() }
                group.addTask {
                    for await change in self.cronJobs.changes() {
                        self.enqueuePools { pool in
                            Self.versions(of: change).contains { pool.concerns(namespace: $0.metadata.namespace, labels: self.labels(ofNamespace: $0.metadata.namespace)) }
                        }
                    }
                }
                group.addTask {
                    for await change in self.jobs.changes() {
                        self.enqueuePools { pool in
                            Self.versions(of: change).contains { pool.concerns(namespace: $0.metadata.namespace, labels: self.labels(ofNamespace: $0.metadata.namespace)) }
                        }
                    }
                }
                group.addTask { await self.watchdog.run(every: self.watchdogInterval) }
                group.addTask {
                    for await change in self.pools.changes() where Self.worthReconciling(change) {
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

    /// A quarter of the stale limit, between half a second and five seconds: a blind cache is reported
    /// soon after it crosses the limit, without polling often.
    private var watchdogInterval: Duration {
        .milliseconds(Int64(min(5, max(0.5, watchdog.staleLimit / 4)) * 1000))
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

    /// Every pool change but an update that changed only its status: the operator's own status writes
    /// come back as such updates, and reconciling again for them would redo what was just decided
    /// (`UpdatePredicate`, controller-runtime's `GenerationChangedPredicate` with labels, annotations
    /// and deletion). Annotation edits still pass: they are how users ask a pool for things.
    static func worthReconciling(_ change: InformerChange<PoolSelectors>) -> Bool {
        guard case .updated(let old, let new) = change else { return true }
        return UpdatePredicate.changesMoreThanStatus(from: old.metadata, to: new.metadata)
    }

    private static func versions<Object>(of change: InformerChange<Object>) -> [Object] {
        if case .updated(let old, let new) = change { return [old, new] }
        return [change.object]
    }
}
