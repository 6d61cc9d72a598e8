import ControllerRuntime
import CoreMetrics
import Foundation
import KubeClient
import Logging
import ServiceLifecycle

/// The operator's composition: the shared informers and the GPUPool controller. `watches` runs on
/// every replica; `controller` only on the leader (wrap it in `LeaderElectedService`).
public struct GPUPoolOperator: Sendable {
    /// Runs the informers and maps their changes to pool keys.
    public let watches: PoolWatches
    /// Reconciles pools from the work queue; a `Service`.
    public let controller: any Service
    /// Pools the controller currently remembers (for metrics and tests).
    let memories: PoolMemoryStore

    /// - Parameters:
    ///   - namespace: one namespace, or nil for the whole cluster.
    ///   - tick: the steady reconcile period (controller-runtime's `RequeueAfter`), also the planner's step.
    ///   - identity: this replica's name in events (`reportingInstance`).
    public init(
        client: KubeClient, namespace: String?, tick: Duration = .seconds(30), workers: Int = 2,
        identity: String, logger: Logger, metricsFactory: (any MetricsFactory)? = nil
    ) {
        let clock = ContinuousClock()
        let queueMetrics = metricsFactory.map { WorkQueueMetrics(name: "gpupool", factory: $0) } ?? .disabled
        let controllerMetrics = metricsFactory.map { ControllerMetrics(controller: "gpupool", factory: $0) } ?? .disabled
        let queue = WorkQueue<ObjectKey, ContinuousClock>(clock: clock, metrics: queueMetrics)
        let watches = PoolWatches(client: client, namespace: namespace, logger: logger) { queue.add($0) }
        let recorder = DeduplicatingEventRecorder(
            sink: KubeEventSink(client: client), clock: clock, reportingController: "fleetcast-operator",
            reportingInstance: identity, logger: logger)
        let memories = PoolMemoryStore()
        let seconds = Double(tick.components.seconds) + Double(tick.components.attoseconds) / 1e18
        let reconciler = GPUPoolReconciler(
            api: KubeGPUPoolAPI(client: client), cache: watches.observationCache, recorder: recorder,
            memories: memories, now: { Date() }, tick: seconds, logger: logger,
            metrics: metricsFactory.map { SwiftMetricsPoolRecorder(factory: $0) } ?? DiscardingPoolMetrics())
        self.watches = watches
        self.memories = memories
        self.controller = Controller(name: "gpupool", reconciler: reconciler, clock: clock, workers: workers,
                                     queue: queue, logger: logger, metrics: controllerMetrics)
    }
}
