import Autoscaling
import ControllerRuntime
import Foundation

/// Where a GPUPool reconcile reports what it observed and decided, for `/metrics`. A port, so the
/// reconciler stays testable without a metrics backend and the module depends on no exporter.
public protocol PoolMetricsRecorder: Sendable {
    /// Sets the pool's gauges to this reconcile's values. A `nil` field removes that series, so a
    /// value that stopped being known (no forecast, no price) is not left behind stale.
    func record(_ gauges: PoolGauges, for pool: ObjectKey)
    /// Counts one write of the target's replicas.
    func recordScale(_ direction: ScaleDirection, reason: PlanReason, for pool: ObjectKey)
    /// Times one reconcile and counts it as an error when it threw.
    func recordReconcile(of pool: ObjectKey, duration: Duration, failed: Bool)
    /// Removes every series of a pool that is gone (deleted, or its spec became invalid).
    func forget(_ pool: ObjectKey)
    /// Counts one query of the pool's `spec.demand.prometheus`: `result` is `ok` or the
    /// `HistoryAvailable` reason it failed with.
    func recordPrometheusQuery(_ query: PrometheusQueryKind, result: String, for pool: ObjectKey)
    /// Sets whether the pool's Prometheus demand is available and how many bins the last backfill
    /// filled; nil removes the series (the pool no longer reads Prometheus).
    func recordHistory(available: Bool?, backfilledBins: Int?, for pool: ObjectKey)
}

/// Which of a pool's Prometheus queries ran; the `query` label of `fleetcast_prometheus_queries_total`.
public enum PrometheusQueryKind: String, Sendable, Hashable, CaseIterable {
    case history, live
}

extension PoolMetricsRecorder {
    public func recordPrometheusQuery(_ query: PrometheusQueryKind, result: String, for pool: ObjectKey) {}
    public func recordHistory(available: Bool?, backfilledBins: Int?, for pool: ObjectKey) {}
}

/// One reconcile's view of a pool, as gauges.
public struct PoolGauges: Sendable, Hashable {
    /// GPUs requested by the pool's pods, running and pending.
    public var demandGPUs: Double
    /// The part of the demand still pending.
    public var pendingGPUs: Double
    /// Highest upper-quantile forecast over the planning horizon, when there is a forecast.
    public var forecastPeakGPUs: Double?
    public var desiredNodes: Int
    public var readyNodes: Int
    public var startingNodes: Int
    public var idleNodes: Int
    /// The start-up lead time the plan was made for (observed quantile, or the prior).
    public var leadTimeSeconds: Double
    /// Price of the nodes the pool holds now, per hour; nil when the spec sets no `hourlyCost`.
    public var hourlyCost: Double?
    /// Share of held-out bins whose realised demand stayed within the chosen model's upper quantile
    /// (0…1, ideally close to `forecast.quantile`); nil before a backtest could be scored.
    public var forecastCoverage: Double?
    /// GPUs one node of the pool holds (`spec.nodes.gpusPerNode`), so dashboards convert without constants.
    public var gpusPerNode: Int
    /// Mean and upper-quantile forecast of the bin now, when there is a forecast.
    public var forecastMeanGPUs: Double?
    public var forecastUpperGPUs: Double?
    /// Whether the forecast is ready to plan with; nil while the pool has no fitted forecaster.
    public var forecastReady: Bool?
    /// When the forecaster was last fitted, in seconds since the epoch; nil before the first fit.
    public var forecastFittedAt: Double?
    /// Idle nodes the plan holds on top of the need (the warm pool).
    public var warmNodes: Int
    /// Why the plan is what it is; published as the one series of `fleetcast_pool_plan_reason` set to 1.
    public var planReason: PlanReason?
    /// Each measured start-up phase's p50 and p90, in seconds (`fleetcast_pool_startup_phase_p50_seconds`/`_p90_seconds`).
    public var startupPhases: [StartupPhaseEstimate] = []
    /// The standby tier (`status.standby`): planned and suspended nodes, the resume time planned with,
    /// and the observed resumes' p50/p90 in seconds; all nil for a pool without one.
    public var standbyDesiredNodes: Int?
    public var standbyReadyNodes: Int?
    public var standbyResumeSeconds: Double?
    public var standbyResumeP50Seconds: Double?
    public var standbyResumeP90Seconds: Double?

    public init(demandGPUs: Double, pendingGPUs: Double, forecastPeakGPUs: Double?, desiredNodes: Int, readyNodes: Int,
                startingNodes: Int, idleNodes: Int, leadTimeSeconds: Double, hourlyCost: Double?, forecastCoverage: Double?,
                gpusPerNode: Int = 0, forecastMeanGPUs: Double? = nil, forecastUpperGPUs: Double? = nil, forecastReady: Bool? = nil,
                forecastFittedAt: Double? = nil, warmNodes: Int = 0, planReason: PlanReason? = nil) {
        self.gpusPerNode = gpusPerNode
        self.forecastMeanGPUs = forecastMeanGPUs
        self.forecastUpperGPUs = forecastUpperGPUs
        self.forecastReady = forecastReady
        self.forecastFittedAt = forecastFittedAt
        self.warmNodes = warmNodes
        self.planReason = planReason
        self.demandGPUs = demandGPUs
        self.pendingGPUs = pendingGPUs
        self.forecastPeakGPUs = forecastPeakGPUs
        self.desiredNodes = desiredNodes
        self.readyNodes = readyNodes
        self.startingNodes = startingNodes
        self.idleNodes = idleNodes
        self.leadTimeSeconds = leadTimeSeconds
        self.hourlyCost = hourlyCost
        self.forecastCoverage = forecastCoverage
    }
}

/// Which way a write moved the target; the `direction` label of the scale counter.
public enum ScaleDirection: String, Sendable, Hashable, CaseIterable {
    case up, down
}

/// Records nothing: the reconciler's default when no metrics factory is given.
public struct DiscardingPoolMetrics: PoolMetricsRecorder {
    public init() {}
    public func record(_ gauges: PoolGauges, for pool: ObjectKey) {}
    public func recordScale(_ direction: ScaleDirection, reason: PlanReason, for pool: ObjectKey) {}
    public func recordReconcile(of pool: ObjectKey, duration: Duration, failed: Bool) {}
    public func forget(_ pool: ObjectKey) {}
}
