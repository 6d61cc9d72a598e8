/// Demand read from Prometheus. The server is operator configuration (`fleetcast operator
/// --prometheus-url`), not pool configuration: a pool only says which PromQL measures its demand.
public struct PrometheusDemandSpec: Codable, Sendable, Hashable {
    /// PromQL returning the pool's demand in GPUs as one series, e.g.
    /// `sum(kube_pod_container_resource_requests{namespace="serving",resource="nvidia_com_gpu"})`.
    public var query: String
    /// PromQL read for the backfill of past demand; default `query`. The operator takes the peak of it
    /// inside every `spec.forecast.step` bin (`max_over_time((historyQuery)[step:resolution])`).
    public var historyQuery: String?
    /// `History` (default): backfill only, live demand still from the pods. `HistoryAndLive`: `query`
    /// is also the live demand signal.
    public var use: PrometheusDemandUse?

    public init(query: String, historyQuery: String? = nil, use: PrometheusDemandUse? = nil) {
        self.query = query
        self.historyQuery = historyQuery
        self.use = use
    }

    /// The query the backfill reads: `historyQuery`, else `query`.
    public var effectiveHistoryQuery: String {
        if let historyQuery, !historyQuery.isEmpty { return historyQuery }
        return query
    }

    public var effectiveUse: PrometheusDemandUse { use ?? GPUPoolDefaults.prometheusUse }
}

/// What a pool uses its Prometheus query for.
public enum PrometheusDemandUse: String, Codable, Sendable, Hashable, CaseIterable {
    /// Backfill the demand history from Prometheus; live demand is still counted from the pods.
    case history = "History"
    /// Backfill, and read the query's current value as live demand instead of counting pods: for demand
    /// that pods do not show, such as queued requests converted to GPUs.
    case historyAndLive = "HistoryAndLive"
}
