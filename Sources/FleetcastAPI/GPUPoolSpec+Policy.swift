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

/// A window of known demand or of limited capacity: recurring (starts when `cron` fires in
/// `timeZone`) or one-off (starts `at` a date), lasting `duration`, doing what `mode` says.
public struct ScheduleSpec: Codable, Sendable, Hashable {
    /// Unique within the pool; shown in status and events.
    public var name: String
    /// Five-field cron expression or a macro such as `@daily`. Exactly one of `cron` and `at`.
    public var cron: String?
    /// RFC 3339 start of a one-off window (`2026-12-24T18:00:00Z`). Exactly one of `cron` and `at`.
    public var at: String?
    /// IANA time zone the cron expression is read in. Default `UTC`. Unused by `at`, which carries its offset.
    public var timeZone: String?
    public var duration: KubeDuration
    /// `Add` (default), `Floor` or `Cap`.
    public var mode: ScheduleMode?
    /// `Add`: GPUs the window needs on top of the learned forecast. `Floor`: GPUs it needs at least.
    public var gpus: Int?
    /// `Cap`: most nodes the pool may hold while the window is open; 0 scales an idle pool to zero.
    public var nodes: Int?

    public init(name: String, cron: String? = nil, at: String? = nil, timeZone: String? = nil, duration: KubeDuration,
                mode: ScheduleMode? = nil, gpus: Int? = nil, nodes: Int? = nil) {
        self.name = name
        self.cron = cron
        self.at = at
        self.timeZone = timeZone
        self.duration = duration
        self.mode = mode
        self.gpus = gpus
        self.nodes = nodes
    }
}

/// What a schedule window does to the pool while it is open.
public enum ScheduleMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// `gpus` more GPUs on top of the learned forecast (a retraining run).
    case add = "Add"
    /// At least `gpus` GPUs, whatever the forecast says.
    case floor = "Floor"
    /// At most `nodes` nodes: wins over the warm pool and `nodes.min`, never drains a node running work.
    case cap = "Cap"
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
    /// Suspended capacity: nodes set up and stopped, resumed in tens of seconds instead of a cold start,
    /// billed at a fraction of a running node. Unset: no standby tier; the pool plans as before.
    public var standby: StandbySpec?
    /// Images kept pulled on warm and standby nodes, so a node that takes over saves the pull phase.
    public var prePull: PrePullSpec?

    public init(minIdleNodes: Int? = nil, maxIdleNodes: Int? = nil, minIdlePercent: Int? = nil, learnedMaxPercent: Int? = nil,
                standby: StandbySpec? = nil, prePull: PrePullSpec? = nil) {
        self.minIdleNodes = minIdleNodes
        self.maxIdleNodes = maxIdleNodes
        self.minIdlePercent = minIdlePercent
        self.learnedMaxPercent = learnedMaxPercent
        self.standby = standby
        self.prePull = prePull
    }
}

/// A delay the planner learns from observations, with a prior until enough are seen: the lead time
/// (`spec.startup`, from asking for a node to a serving pod) and the standby resume time
/// (`spec.warmPool.standby.resume`).
public struct StartupSpec: Codable, Sendable, Hashable {
    /// Prior used until enough start-ups (or resumes) have been observed.
    public var expected: KubeDuration?
    /// Quantile of observed times planned for (0 < q < 1).
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

/// Where else schedules come from.
public struct DiscoverySpec: Codable, Sendable, Hashable {
    /// `Enabled` (default): CronJobs whose pods request the pool's GPU resource and would land on its
    /// nodes become schedules (`status.discoveredSchedules`), their duration learned from past runs.
    public var cronJobs: DiscoveryMode?
    /// `Enabled` (default): Jobs a queue manager holds suspended (Kueue's `kueue.x-k8s.io/queue-name`
    /// label) whose pods would run on the pool count as pending demand, at full weight.
    public var queuedJobs: DiscoveryMode?

    public init(cronJobs: DiscoveryMode? = nil, queuedJobs: DiscoveryMode? = nil) {
        self.cronJobs = cronJobs
        self.queuedJobs = queuedJobs
    }
}

public enum DiscoveryMode: String, Codable, Sendable, Hashable, CaseIterable {
    case enabled = "Enabled"
    case disabled = "Disabled"
}
