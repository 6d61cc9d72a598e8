import ControllerRuntime
import CoreMetrics
import Foundation
import KubeClient
import Logging
import PrometheusDemand
import ServiceLifecycle

/// The operator's composition: the shared informers, the GPUPool controller, the writers that save
/// the pools' history and status off the reconcile path, and the tuning controller (pools with
/// `spec.objective`). `watches` runs on every replica; `controller` (the controller, the writers and the
/// tuner together) only on the leader (wrap it in `LeaderElectedService`).
public struct GPUPoolOperator: Sendable {
    /// Runs the informers and maps their changes to pool keys.
    public let watches: PoolWatches
    /// Reconciles pools from the work queue and writes their history and status; a `Service`.
    public let controller: any Service
    /// Pools the controller currently remembers (for metrics and tests).
    let memories: PoolMemoryStore

    /// - Parameters:
    ///   - client: the workload cluster: pools, pods, nodes, namespaces, events, history.
    ///   - targetClient: the cluster holding the pools' targets and their Cluster API Machines (a
    ///     management cluster); nil when it is `client`'s.
    ///   - namespace: one namespace, or nil for the whole cluster.
    ///   - tick: the steady reconcile period (controller-runtime's `RequeueAfter`), also the planner's step.
    ///   - identity: this replica's name in events (`reportingInstance`).
    ///   - staleObservationLimit: how long the pod and node caches may fail to list or watch before
    ///     pools are held at their size and reported `Degraded=True, ObservationStale`.
    ///   - historyNamespace: where the pools' history ConfigMaps are kept (the operator's own namespace).
    ///   - prometheus: where pools with `spec.demand.prometheus` read their demand history (and live
    ///     demand); nil when the operator runs without `--prometheus-url`.
    public init(
        client: KubeClient, targetClient: KubeClient? = nil, namespace: String?, tick: Duration = .seconds(30), workers: Int = 2,
        identity: String, logger: Logger, metricsFactory: (any MetricsFactory)? = nil,
        staleObservationLimit: Duration = .seconds(60), historyNamespace: String, prometheus: PrometheusClient? = nil
    ) {
        self.init(client: client, targetClient: targetClient, namespace: namespace, tick: tick, workers: workers, identity: identity,
                  logger: logger, metricsFactory: metricsFactory, staleObservationLimit: staleObservationLimit,
                  historyNamespace: historyNamespace, clock: ContinuousClock(), now: { Date() }, prometheus: prometheus)
    }

    /// The same composition on an injected clock: `clock` drives the work queue's delays and event
    /// de-duplication, `now` is the wall-clock time the reconciler plans at (tests pass a manual clock).
    init<C: Clock<Duration>>(
        client: KubeClient, targetClient: KubeClient? = nil, namespace: String?, tick: Duration, workers: Int, identity: String,
        logger: Logger, metricsFactory: (any MetricsFactory)?, staleObservationLimit: Duration, historyNamespace: String, clock: C,
        now: @escaping @Sendable () -> Date, prometheus: PrometheusClient? = nil
    ) {
        let queueMetrics = metricsFactory.map { WorkQueueMetrics(name: "gpupool", factory: $0) } ?? .disabled
        let controllerMetrics = metricsFactory.map { ControllerMetrics(controller: "gpupool", factory: $0) } ?? .disabled
        let queue = WorkQueue<ObjectKey, C>(clock: clock, metrics: queueMetrics)
        let watches = PoolWatches(client: client, namespace: namespace, logger: logger, now: now,
                                  staleObservationLimit: staleObservationLimit) { queue.add($0) }
        let recorder = DeduplicatingEventRecorder(
            sink: KubeEventSink(client: client), clock: clock, wallClock: now, reportingController: "fleetcast-operator",
            reportingInstance: identity, logger: logger)
        let memories = PoolMemoryStore()
        let api = KubeGPUPoolAPI(client: client, targetClient: targetClient, pools: watches.pools, historyNamespace: historyNamespace)
        let history = PoolHistoryWriter(api: api, logger: logger)
        let tunings = TuningResults()
        let statuses = PoolStatusWriter(api: api, logger: logger)
        var reconciler = GPUPoolReconciler(
            api: api, cache: watches.observationCache, recorder: recorder,
            memories: memories, history: history, statuses: statuses, now: now, tick: tick.timeInterval, staleObservationLimit: staleObservationLimit.timeInterval,
            logger: logger, metrics: metricsFactory.map { SwiftMetricsPoolRecorder(factory: $0) } ?? DiscardingPoolMetrics(),
            removal: KubeNodeRemoval(client: client, machineClient: targetClient), prometheus: prometheus)
        reconciler.tunings = tunings
        let tuner = TuningController(api: api, memories: memories, results: tunings, enqueue: { queue.add($0) }, clock: clock, now: now,
                                     logger: logger)
        self.watches = watches
        self.memories = memories
        let controller = Controller(name: "gpupool", reconciler: reconciler, clock: clock, workers: workers,
                                    queue: queue, logger: logger, metrics: controllerMetrics)
        self.controller = GPUPoolControllerService(controller: controller, history: history, statuses: statuses, tuner: tuner, clock: clock)
    }
}

extension Duration {
    /// The duration in (fractional) seconds, the unit the decision core works in.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
