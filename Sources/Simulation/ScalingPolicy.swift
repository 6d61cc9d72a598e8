import Autoscaling
import Forecasting
import Foundation

/// What a policy sees at each planning step: the same quantities the operator observes in a cluster.
public struct PolicyContext: Sendable {
    public var now: Date
    /// GPUs requested by running and waiting work.
    public var demandGPUs: Double
    /// The part of `demandGPUs` waiting for capacity.
    public var pendingGPUs: Double
    public var nodes: NodeCounts
    /// For each idle ready node, how long it has been idle.
    public var idleDurations: [TimeInterval]
    /// Observed start-up durations of the most recent nodes, oldest first.
    public var recentStartups: [TimeInterval]
    /// With a phased start-up (`SimulationSetup.phasedStartup`): the most recent nodes' phases outside
    /// the node start-up, oldest first; `recentStartups` is then the node start-up alone.
    public var recentPhases: [StartupPhase: [TimeInterval]] = [:]
    /// The standby tier's nodes (suspended and ready to resume, or being set up); zero without one.
    public var standby = StandbyCounts()
    /// Observed resumes of the most recent standby nodes (asked → serving), oldest first.
    public var recentResumes: [TimeInterval] = []
}

/// One policy's answer for a step: the nodes it wants, plus what it forecast (for reports).
public struct PolicyDecision: Sendable, Hashable {
    public var desiredNodes: Int
    public var forecastMean: Double?
    public var forecastUpper: Double?
    /// The planner's reason, for the predictive policy.
    public var planReason: PlanReason?
    /// Standby nodes to hold (a policy with a standby tier); nil leaves the standby tier alone.
    public var standbyNodes: Int?

    public init(desiredNodes: Int, forecastMean: Double? = nil, forecastUpper: Double? = nil, planReason: PlanReason? = nil,
                standbyNodes: Int? = nil) {
        self.desiredNodes = desiredNodes
        self.forecastMean = forecastMean
        self.forecastUpper = forecastUpper
        self.planReason = planReason
        self.standbyNodes = standbyNodes
    }
}

/// A scaling policy the simulator can replay. Policies are values that carry their own state between
/// steps; the simulator owns the clock and the pool.
public protocol ScalingPolicy: Sendable {
    mutating func decide(_ context: PolicyContext) -> PolicyDecision
}

/// Like cluster-autoscaler: add nodes when demand exceeds ready and starting capacity, remove a
/// node once it has been idle for `idleTimeout`. With `schedules`, also holds enough nodes for
/// the declared windows that are running now, like a KEDA cron floor. With `warmNodes`, also holds
/// that many nodes beyond what demand fills (a fixed warm pool, like cluster-autoscaler with an
/// overprovisioning placeholder).
public struct ReactivePolicy: ScalingPolicy {
    public var gpusPerNode: Double
    public var idleTimeout: TimeInterval
    public var schedules: [ScheduledWindow]
    public var warmNodes: Int

    public init(gpusPerNode: Double, idleTimeout: TimeInterval = 600, schedules: [ScheduledWindow] = [], warmNodes: Int = 0) {
        self.gpusPerNode = gpusPerNode
        self.idleTimeout = idleTimeout
        self.schedules = schedules
        self.warmNodes = max(0, warmNodes)
    }

    public mutating func decide(_ context: PolicyContext) -> PolicyDecision {
        let current = context.nodes.current
        let shortfall = context.demandGPUs - Double(current) * gpusPerNode
        let open = schedules.filter { $0.isOpen(at: context.now) }
        let added = open.reduce(0) { $0 + ($1.mode == .add ? $1.gpus : 0) }
        let floored = open.filter { $0.mode == .floor }.map(\.gpus).max() ?? 0
        let floor = max(nodes(forGPUs: max(added, floored)), warmNodes > 0 ? nodes(forGPUs: context.demandGPUs) + warmNodes : 0)
        // A cap window stops growth and removes idle nodes, never busy ones (as the planner does).
        let busy = current - context.idleDurations.count
        let cap = open.compactMap(\.capNodes).min().map { max($0, busy) } ?? Int.max
        if shortfall > 1e-9 {
            return PolicyDecision(desiredNodes: min(max(current + nodes(forGPUs: shortfall), floor), cap))
        }
        let expired = context.idleDurations.filter { $0 >= idleTimeout }.count
        return PolicyDecision(desiredNodes: min(max(current - expired, floor), cap))
    }

    private func nodes(forGPUs gpus: Double) -> Int {
        NodeCapacity.nodes(forGPUs: gpus, gpusPerNode: gpusPerNode)
    }
}

/// Holds a fixed number of nodes (the trace's peak) all the time.
public struct StaticPolicy: ScalingPolicy {
    public var nodes: Int

    public init(nodes: Int) {
        self.nodes = nodes
    }

    public func decide(_ context: PolicyContext) -> PolicyDecision {
        PolicyDecision(desiredNodes: nodes)
    }
}
