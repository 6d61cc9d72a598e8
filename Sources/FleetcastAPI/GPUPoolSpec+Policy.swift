import KubeAPI

/// How demand is learned and forecast.
public struct ForecastSpec: Codable, Sendable, Hashable {
    /// Seasonal periods to learn, e.g. `[24h, 168h]` for daily and weekly cycles.
    public var seasonalities: [KubeDuration]?
    /// How far back the history reaches; longer than every seasonality.
    public var history: KubeDuration?
    /// Bin size of the demand history; every seasonality is a whole number of steps.
    public var step: KubeDuration?
    /// Plan for this quantile of forecast demand (0 < q < 1).
    public var quantile: Double?

    public init(seasonalities: [KubeDuration]? = nil, history: KubeDuration? = nil, step: KubeDuration? = nil, quantile: Double? = nil) {
        self.seasonalities = seasonalities
        self.history = history
        self.step = step
        self.quantile = quantile
    }
}

/// A recurring window of known demand: starts when `cron` fires in `timeZone`, lasts `duration`.
public struct ScheduleSpec: Codable, Sendable, Hashable {
    /// Unique within the pool; shown in status and events.
    public var name: String
    /// Five-field cron expression or a macro such as `@daily`.
    public var cron: String
    /// IANA time zone the cron expression is read in. Default `UTC`.
    public var timeZone: String?
    public var duration: KubeDuration
    /// GPUs the window needs on top of the learned forecast.
    public var gpus: Int

    public init(name: String, cron: String, timeZone: String? = nil, duration: KubeDuration, gpus: Int) {
        self.name = name
        self.cron = cron
        self.timeZone = timeZone
        self.duration = duration
        self.gpus = gpus
    }
}

/// Ready, idle capacity held for demand no forecast saw.
public struct WarmPoolSpec: Codable, Sendable, Hashable {
    /// Idle nodes to keep on top of the plan. Default 0.
    public var minIdleNodes: Int?
    /// Idle nodes beyond this are released first. Unset: no cap other than normal scale-down.
    public var maxIdleNodes: Int?
    /// Idle capacity to keep as a percentage (0–100) of the GPUs the plan needs; the warm pool is the
    /// larger of this and `minIdleNodes` (capped by `maxIdleNodes`). Unset: 0. Jumps in demand grow
    /// with its level, so a fixed node count is too much for a small pool and too little for a large one.
    public var minIdlePercent: Int?
    /// Learn the idle share from the pool's own demand: 1.5 × the largest relative rise within one
    /// lead time over the trailing week, at most this percentage of the planned GPUs. The warm pool is
    /// then the larger of the learned share and `minIdlePercent`. Unset: not learned.
    public var learnedMaxPercent: Int?

    public init(minIdleNodes: Int? = nil, maxIdleNodes: Int? = nil, minIdlePercent: Int? = nil, learnedMaxPercent: Int? = nil) {
        self.minIdleNodes = minIdleNodes
        self.maxIdleNodes = maxIdleNodes
        self.minIdlePercent = minIdlePercent
        self.learnedMaxPercent = learnedMaxPercent
    }
}

/// The lead time: how long a requested node takes to become GPU-allocatable.
public struct StartupSpec: Codable, Sendable, Hashable {
    /// Prior used until enough node start-ups have been observed.
    public var expected: KubeDuration?
    /// Quantile of observed start-up times planned for (0 < q < 1).
    public var quantile: Double?

    public init(expected: KubeDuration? = nil, quantile: Double? = nil) {
        self.expected = expected
        self.quantile = quantile
    }
}

/// How cautiously capacity is given back.
public struct ScaleDownSpec: Codable, Sendable, Hashable {
    /// A lower plan must hold this long before nodes are removed; zero removes at once.
    public var stabilizationWindow: KubeDuration?
    /// Most nodes removed in one step.
    public var maxNodesPerStep: Int?

    public init(stabilizationWindow: KubeDuration? = nil, maxNodesPerStep: Int? = nil) {
        self.stabilizationWindow = stabilizationWindow
        self.maxNodesPerStep = maxNodesPerStep
    }
}

/// A spending cap; needs `nodes.hourlyCost`.
public struct BudgetSpec: Codable, Sendable, Hashable {
    /// The plan is clamped so that nodes × hourlyCost stays at or below this.
    public var maxHourlyCost: Double

    public init(maxHourlyCost: Double) {
        self.maxHourlyCost = maxHourlyCost
    }
}
