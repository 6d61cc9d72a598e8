import Foundation

/// The planner's answer for one instant: how many nodes to hold, what to write to the target, and
/// why, in a typed reason and in one sentence for status, events and reports.
public struct Plan: Sendable, Hashable {
    /// Nodes the pool should hold after this decision.
    public var desiredNodes: Int
    /// The number to write to the target: `desiredNodes` for TotalNodes, spare nodes for Headroom.
    public var replicas: Int
    /// Nodes needed before warm pool and limits: the demand the plan covers, in nodes.
    public var neededNodes: Int
    /// GPUs the plan covers (the window maximum of forecast and reactive demand, plus schedules).
    public var neededGPUs: Double
    /// Idle nodes held on top of the need.
    public var warmNodes: Int
    /// Whether the driver should write `replicas` (false in ForecastOnly mode and when nothing changes).
    public var actuate: Bool
    public var reason: PlanReason
    /// What the need came from (demand now, the forecast, a named schedule).
    public var driver: DemandDriver
    /// One sentence a human can read in `kubectl describe` or a report.
    public var explanation: String
    /// Set when a scale-down was held back because the nodes are needed again within the lead time.
    public var embargo: ScaleDownEmbargo?
    /// True when the budget lowered the plan below what the demand needed.
    public var budgetLimited: Bool
    /// True when the learned forecast was used; false when the planner fell back to reactive demand,
    /// schedules and the warm pool.
    public var usedForecast: Bool
    /// The lead time the running nodes were planned for: the cold start, or with a standby tier the
    /// resume time (a running node that is short comes from standby).
    public var leadTime: TimeInterval
    /// The standby tier's part: nil when the pool has none.
    public var standby: StandbyPlan?
    /// State to pass to the next call.
    public var state: PlannerState
}

/// Why the plan is what it is. `rawValue` is the CamelCase reason used in conditions and events.
public enum PlanReason: String, Sendable, Hashable, CaseIterable {
    /// More nodes, because demand already waiting (or running) needs them.
    case scaleUpForDemand = "ScaleUpForDemand"
    /// More nodes, because the forecast needs them before a node requested now would be ready.
    case scaleUpForForecast = "ScaleUpForForecast"
    /// More nodes, because a declared schedule starts within the lead time.
    case scaleUpForSchedule = "ScaleUpForSchedule"
    /// More nodes, to refill the warm pool.
    case scaleUpForWarmPool = "ScaleUpForWarmPool"
    /// More nodes, because the pool is below its minimum.
    case scaleUpToMinimum = "ScaleUpToMinimum"
    /// The pool already holds what the plan needs.
    case steady = "Steady"
    /// Fewer nodes: the lower plan outlasted the stabilization window.
    case scaleDown = "ScaleDown"
    /// A lower plan is waiting out the stabilization window.
    case scaleDownStabilizing = "ScaleDownStabilizing"
    /// A further scale-down waits for the next planning step: at most `maxNodesPerStep` nodes go per
    /// step, however often the driver plans (the operator also reconciles on watch events).
    case scaleDownPaced = "ScaleDownPaced"
    /// A scale-down is held because the forecast or a schedule needs the nodes again within the lead time.
    case scaleDownEmbargoed = "ScaleDownEmbargoed"
    /// The maximum node count capped the plan.
    case limitedByMaximum = "LimitedByMaximum"
    /// The budget capped the plan (it wins over demand and over the minimum).
    case limitedByBudget = "LimitedByBudget"
    /// A `cap` schedule window (off-hours, a freeze) capped the plan: it wins over demand, the warm pool
    /// and the minimum, but never removes a node that runs work.
    case limitedBySchedule = "LimitedBySchedule"

}

/// Which input set the need.
public enum DemandDriver: Sendable, Hashable {
    /// GPUs requested now (running and pending).
    case currentDemand
    /// The learned forecast's upper quantile, peaking at the given instant.
    case forecast(peakAt: Date)
    /// A declared schedule window starting (or running) at the given instant.
    case schedule(name: String, startsAt: Date)
    /// No demand at all: only the warm pool and the minimum hold nodes.
    case none
}

/// A scale-down the planner refused because the nodes are needed again soon.
public struct ScaleDownEmbargo: Sendable, Hashable {
    /// Nodes the pool will need within the embargo horizon.
    public var nodesNeeded: Int
    /// When that need peaks.
    public var neededAt: Date
    /// The schedule behind the need, if a schedule is.
    public var schedule: String?

    public init(nodesNeeded: Int, neededAt: Date, schedule: String? = nil) {
        self.nodesNeeded = nodesNeeded
        self.neededAt = neededAt
        self.schedule = schedule
    }
}
