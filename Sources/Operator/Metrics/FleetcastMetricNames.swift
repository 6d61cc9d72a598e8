/// The operator's own metric families: names, types, labels and help text in one place, so the
/// exporter can publish `# HELP` lines and `docs/operator.md` can be checked against the code.
/// Names follow Prometheus conventions: `fleetcast_` prefix, base units in the name, `_total` on counters.
public struct MetricDescription: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case gauge, counter, histogram }

    public var name: String
    public var kind: Kind
    public var labels: [String]
    public var help: String
}

public enum FleetcastMetrics {
    static let pool = ["namespace", "gpupool"]

    public static let demandGPUs = MetricDescription(
        name: "fleetcast_pool_demand_gpus", kind: .gauge, labels: pool,
        help: "GPUs requested by the pool's pods, running and pending.")
    public static let pendingGPUs = MetricDescription(
        name: "fleetcast_pool_pending_gpus", kind: .gauge, labels: pool,
        help: "GPUs requested by the pool's pods that are still pending.")
    public static let forecastPeakGPUs = MetricDescription(
        name: "fleetcast_pool_forecast_peak_gpus", kind: .gauge, labels: pool,
        help: "Highest upper-quantile forecast demand over the planning horizon, in GPUs.")
    public static let desiredNodes = MetricDescription(
        name: "fleetcast_pool_desired_nodes", kind: .gauge, labels: pool,
        help: "Nodes the latest plan holds for the pool.")
    public static let readyNodes = MetricDescription(
        name: "fleetcast_pool_ready_nodes", kind: .gauge, labels: pool,
        help: "Pool nodes that are Ready with their GPUs allocatable.")
    public static let startingNodes = MetricDescription(
        name: "fleetcast_pool_starting_nodes", kind: .gauge, labels: pool,
        help: "Pool nodes that exist but are not yet Ready with GPUs allocatable.")
    public static let idleNodes = MetricDescription(
        name: "fleetcast_pool_idle_nodes", kind: .gauge, labels: pool,
        help: "Ready pool nodes with no GPU requested by a pod.")
    public static let leadTimeSeconds = MetricDescription(
        name: "fleetcast_pool_lead_time_seconds", kind: .gauge, labels: pool,
        help: "Lead time the plan uses, from asking for a node to a serving pod: the spec's prior, the observed node start-up, or that plus the observed phases outside it.")
    public static let startupPhaseP50Seconds = MetricDescription(
        name: "fleetcast_pool_startup_phase_p50_seconds", kind: .gauge, labels: pool + ["phase"],
        help: "Median learned duration of one start-up phase (Provisioning, NodeReady, GPUReady, Scheduling, ImagePull, ModelLoad).")
    public static let startupPhaseP90Seconds = MetricDescription(
        name: "fleetcast_pool_startup_phase_p90_seconds", kind: .gauge, labels: pool + ["phase"],
        help: "90th percentile of the learned duration of one start-up phase (Provisioning, NodeReady, GPUReady, Scheduling, ImagePull, ModelLoad).")
    public static let hourlyCost = MetricDescription(
        name: "fleetcast_pool_hourly_cost", kind: .gauge, labels: pool,
        help: "Price per hour of the nodes the pool holds now: running nodes at spec.nodes.hourlyCost, suspended standby nodes at the standby price.")
    public static let forecastCoverage = MetricDescription(
        name: "fleetcast_pool_forecast_coverage_ratio", kind: .gauge, labels: pool,
        help: "Share of held-out bins whose demand stayed within the chosen model's upper quantile.")
    public static let gpusPerNode = MetricDescription(
        name: "fleetcast_pool_gpus_per_node", kind: .gauge, labels: pool,
        help: "GPUs one node of the pool holds (spec.nodes.gpusPerNode).")
    public static let forecastMeanGPUs = MetricDescription(
        name: "fleetcast_pool_forecast_mean_gpus", kind: .gauge, labels: pool,
        help: "Mean forecast demand of the current forecast bin, in GPUs.")
    public static let forecastUpperGPUs = MetricDescription(
        name: "fleetcast_pool_forecast_upper_gpus", kind: .gauge, labels: pool,
        help: "Upper-quantile (spec.forecast.quantile) forecast demand of the current forecast bin, in GPUs.")
    public static let forecastReady = MetricDescription(
        name: "fleetcast_pool_forecast_ready", kind: .gauge, labels: pool,
        help: "1 when the pool's learned forecast is ready to plan with, 0 while it is not (condition ForecastReady).")
    public static let forecastFittedTimestamp = MetricDescription(
        name: "fleetcast_pool_forecast_fitted_timestamp_seconds", kind: .gauge, labels: pool,
        help: "When the pool's forecaster was last fitted, in seconds since the Unix epoch.")
    public static let warmNodes = MetricDescription(
        name: "fleetcast_pool_warm_nodes", kind: .gauge, labels: pool,
        help: "Idle nodes the latest plan holds on top of the need (the warm pool).")
    public static let standbyDesiredNodes = MetricDescription(
        name: "fleetcast_pool_standby_desired_nodes", kind: .gauge, labels: pool,
        help: "Standby (suspended) nodes the latest plan holds, written to spec.warmPool.standby.target; absent without a standby tier.")
    public static let standbyReadyNodes = MetricDescription(
        name: "fleetcast_pool_standby_ready_nodes", kind: .gauge, labels: pool,
        help: "The pool's nodes suspended now (NotReady, unreachable-tainted): capacity ready to resume; absent without a standby tier.")
    public static let standbyResumeSeconds = MetricDescription(
        name: "fleetcast_pool_standby_resume_seconds", kind: .gauge, labels: pool,
        help: "Resume time the plan uses: spec.warmPool.standby.resume.expected until enough resumes are observed, then their quantile.")
    public static let standbyResumeP50Seconds = MetricDescription(
        name: "fleetcast_pool_standby_resume_p50_seconds", kind: .gauge, labels: pool,
        help: "Median observed standby resume (a pod asking for the node to the node Ready); absent before one is observed.")
    public static let standbyResumeP90Seconds = MetricDescription(
        name: "fleetcast_pool_standby_resume_p90_seconds", kind: .gauge, labels: pool,
        help: "90th percentile of the observed standby resumes; absent before one is observed.")
    public static let planReason = MetricDescription(
        name: "fleetcast_pool_plan_reason", kind: .gauge, labels: pool + ["reason"],
        help: "1 for the reason of the pool's latest plan (ScaleUpForDemand, LimitedByMaximum, ...); one series per pool.")
    public static let buildInfo = MetricDescription(
        name: "fleetcast_build_info", kind: .gauge, labels: ["version", "commit", "swift_version"],
        help: "Always 1; labels name the operator's version, the git commit it was built from and the Swift compiler version.")
    public static let scaleActions = MetricDescription(
        name: "fleetcast_scale_actions_total", kind: .counter, labels: pool + ["direction", "reason"],
        help: "Writes of the target's replicas, by direction and plan reason.")
    public static let reconcileErrors = MetricDescription(
        name: "fleetcast_reconcile_errors_total", kind: .counter, labels: pool,
        help: "GPUPool reconciles that failed and were retried with backoff.")
    public static let reconcileDuration = MetricDescription(
        name: "fleetcast_reconcile_duration_seconds", kind: .histogram, labels: [],
        help: "Time of one GPUPool reconcile, including its API calls.")
    public static let prometheusQueries = MetricDescription(
        name: "fleetcast_prometheus_queries_total", kind: .counter, labels: pool + ["query", "result"],
        help: "Queries of spec.demand.prometheus sent to Prometheus, by query (history, live) and result (ok or the HistoryAvailable reason).")
    public static let historyAvailable = MetricDescription(
        name: "fleetcast_pool_history_available", kind: .gauge, labels: pool,
        help: "1 while the pool's Prometheus history (and live query) answered, 0 while it falls back to its own history; absent without spec.demand.prometheus.")
    public static let backfilledBins = MetricDescription(
        name: "fleetcast_pool_backfilled_bins", kind: .gauge, labels: pool,
        help: "Demand-history bins the last Prometheus backfill filled.")
    public static let apiRequestDuration = MetricDescription(
        name: "fleetcast_kube_api_request_duration_seconds", kind: .histogram, labels: ["verb", "code"],
        help: "Latency of Kubernetes API requests (each attempt), by HTTP verb and status code.")
    public static let apiWatches = MetricDescription(
        name: "fleetcast_kube_api_watch_streams_total", kind: .counter, labels: ["code"],
        help: "Kubernetes API watch streams that ended, by status code.")

    /// Every family above, in documentation order.
    public static let all: [MetricDescription] = [
        demandGPUs, pendingGPUs, forecastPeakGPUs, desiredNodes, readyNodes, startingNodes, idleNodes,
        leadTimeSeconds, startupPhaseP50Seconds, startupPhaseP90Seconds, hourlyCost, forecastCoverage, gpusPerNode, forecastMeanGPUs, forecastUpperGPUs, forecastReady,
        forecastFittedTimestamp, warmNodes, standbyDesiredNodes, standbyReadyNodes, standbyResumeSeconds, standbyResumeP50Seconds,
        standbyResumeP90Seconds, planReason, scaleActions, reconcileErrors, reconcileDuration,
        prometheusQueries, historyAvailable, backfilledBins, apiRequestDuration, apiWatches, buildInfo,
    ]

    /// Bucket bounds of `fleetcast_reconcile_duration_seconds`: fine below 20 ms, where a reconcile
    /// served from caches lands, so p50 and p99 can be read off the histogram.
    public static let reconcileDurationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]

    /// Bucket bounds of `fleetcast_kube_api_request_duration_seconds` (client-go's, plus 1–2 ms for loopback).
    public static let apiRequestDurationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8),
        .seconds(15), .seconds(30), .seconds(60),
    ]
}
