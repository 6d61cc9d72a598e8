import CoreMetrics

/// The work queue's metrics, named as client-go's workqueue metrics provider names them.
/// Built from a metrics factory passed in; libraries never bootstrap a global metrics system.
public struct WorkQueueMetrics: Sendable {
    let isEnabled: Bool
    let depth: Gauge
    let adds: Counter
    let retries: Counter

    public init(name: String, factory: any MetricsFactory) {
        let dimensions = [("name", name)]
        isEnabled = true
        depth = Gauge(label: "workqueue_depth", dimensions: dimensions, factory: factory)
        adds = Counter(label: "workqueue_adds_total", dimensions: dimensions, factory: factory)
        retries = Counter(label: "workqueue_retries_total", dimensions: dimensions, factory: factory)
    }

    private init() {
        let factory = NOOPMetricsHandler.instance
        isEnabled = false
        depth = Gauge(label: "workqueue_depth", factory: factory)
        adds = Counter(label: "workqueue_adds_total", factory: factory)
        retries = Counter(label: "workqueue_retries_total", factory: factory)
    }

    /// Records nothing.
    public static let disabled = WorkQueueMetrics()
}

/// A controller's reconcile metrics, named as controller-runtime names them.
public struct ControllerMetrics: Sendable {
    let success: Counter
    let requeueAfter: Counter
    let error: Counter
    let errors: Counter
    let terminalErrors: Counter
    let reconcileTime: Timer
    let maxConcurrentReconciles: Gauge

    public init(controller: String, factory: any MetricsFactory) {
        let dimensions = [("controller", controller)]
        func total(_ result: String) -> Counter {
            Counter(label: "controller_runtime_reconcile_total", dimensions: dimensions + [("result", result)], factory: factory)
        }
        success = total("success")
        requeueAfter = total("requeue_after")
        error = total("error")
        errors = Counter(label: "controller_runtime_reconcile_errors_total", dimensions: dimensions, factory: factory)
        terminalErrors = Counter(label: "controller_runtime_terminal_reconcile_errors_total", dimensions: dimensions, factory: factory)
        reconcileTime = Timer(label: "controller_runtime_reconcile_time_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
        maxConcurrentReconciles = Gauge(label: "controller_runtime_max_concurrent_reconciles", dimensions: dimensions, factory: factory)
    }

    /// Records nothing.
    public static let disabled = ControllerMetrics(controller: "", factory: NOOPMetricsHandler.instance)
}

/// Help text of every metric this module creates, by name, for exporters that publish `# HELP`
/// (swift-metrics carries none). Wording follows client-go's and controller-runtime's.
public enum ControllerRuntimeMetricHelp {
    public static let texts: [String: String] = [
        "workqueue_depth": "Current depth of the work queue.",
        "workqueue_adds_total": "Total number of adds handled by the work queue.",
        "workqueue_retries_total": "Total number of retries handled by the work queue.",
        "controller_runtime_reconcile_total": "Total number of reconciliations per controller, by result.",
        "controller_runtime_reconcile_errors_total": "Total number of reconciliation errors per controller.",
        "controller_runtime_terminal_reconcile_errors_total": "Total number of terminal reconciliation errors per controller.",
        "controller_runtime_reconcile_time_seconds": "Length of time per reconciliation per controller.",
        "controller_runtime_max_concurrent_reconciles": "Maximum number of concurrent reconciles per controller.",
        "leader_election_master_status": "1 while this replica holds the named leader lease, else 0.",
    ]
}
