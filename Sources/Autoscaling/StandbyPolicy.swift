import Foundation

/// The standby tier as the planner sees it (`spec.warmPool.standby`): suspended nodes that resume in a
/// resume time instead of a cold start, billed at a fraction of a running node while suspended.
public struct StandbyPolicy: Sendable, Hashable {
    /// Fewest standby nodes to hold (unless the budget or `nodes.max` leaves no room).
    public var minNodes: Int
    /// Most standby nodes.
    public var maxNodes: Int
    /// Standby capacity as a share of the planned GPUs, in percent (0–100); 0 when unset.
    public var percent: Double
    /// A standby node-hour's price as a share of a running node-hour's (0.1 for a tenth). The budget and
    /// the simulator's cost read it; the tier holds only `minNodes` when it is not below 1.
    public var costRatio: Double

    public init(minNodes: Int = 0, maxNodes: Int, percent: Double = 0, costRatio: Double = 0.1) {
        let floor = max(0, minNodes)
        self.minNodes = floor
        self.maxNodes = max(floor, maxNodes)
        self.percent = percent.isFinite ? min(max(percent, 0), 100) : 0
        self.costRatio = costRatio.isFinite ? max(0, costRatio) : 1
    }
}

/// Suspended nodes a driver observed: set up and stopped, ready to resume (`ready`), and requested but
/// still being set up before they are suspended (`entering`).
public struct StandbyCounts: Sendable, Hashable {
    public var ready: Int
    public var entering: Int

    public init(ready: Int = 0, entering: Int = 0) {
        self.ready = max(0, ready)
        self.entering = max(0, entering)
    }

    public var total: Int { ready + entering }
}

/// The standby part of a plan: how many suspended nodes to hold, why, and which rises each tier covers.
public struct StandbyPlan: Sendable, Hashable {
    /// Standby nodes the standby target should hold.
    public var nodes: Int
    public var reason: StandbyReason
    /// The resume time planned with (the learned quantile of resumes, or the prior).
    public var resumeTime: TimeInterval
    /// GPUs the running tier covers: the need over the resume horizon (resume + one step).
    public var runningGPUs: Double
    /// GPUs beyond those the standby nodes cover, up to the need over the cold-start horizon and the
    /// forecast's spread over it.
    public var standbyGPUs: Double
    /// Running nodes held because ready standby nodes could not cover the rise within a cold start.
    public var uncoveredNodes: Int

    public init(nodes: Int, reason: StandbyReason, resumeTime: TimeInterval, runningGPUs: Double, standbyGPUs: Double,
                uncoveredNodes: Int) {
        self.nodes = nodes
        self.reason = reason
        self.resumeTime = resumeTime
        self.runningGPUs = runningGPUs
        self.standbyGPUs = standbyGPUs
        self.uncoveredNodes = uncoveredNodes
    }
}

/// Why the standby tier holds what it holds. `rawValue` is the CamelCase reason for status and events.
public enum StandbyReason: String, Sendable, Hashable, CaseIterable {
    /// Sized to cover what the forecast expects within a cold start but not within a resume, plus the
    /// spread between its planned quantile and its mean over the cold-start horizon.
    case coversForecastRise = "CoversForecastRise"
    /// `standby.percent` of the planned GPUs is more than the forecast asks for.
    case percentOfPlan = "PercentOfPlan"
    /// `standby.minNodes` is more than the forecast asks for.
    case minimum = "StandbyMinimum"
    /// `standby.maxNodes` capped the tier.
    case limitedByStandbyMaximum = "LimitedByStandbyMaximum"
    /// Running and standby nodes together reached `nodes.max`.
    case limitedByMaximum = "LimitedByMaximum"
    /// What the budget leaves after the running nodes pays for no more standby nodes.
    case limitedByBudget = "LimitedByBudget"
    /// A standby node costs as much as a running one: only `minNodes` are held, the running warm pool does the rest.
    case notCheaper = "StandbyNotCheaper"
    /// The resume time is not shorter than a cold start: standby saves nothing, only `minNodes` are held.
    case resumeNotFaster = "ResumeNotFaster"
}
