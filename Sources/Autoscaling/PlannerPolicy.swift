import Forecasting
import Foundation

/// Everything the planner needs from a pool's spec, as plain values. The drivers build it from a
/// `GPUPoolSpec` (`PoolPolicy`, defaults applied); tests build it directly, so the decision can be
/// exercised without YAML or Kubernetes types.
public struct PlannerPolicy: Sendable, Hashable {
    /// Whether the plan is acted on (`active`) or only computed and published (`forecastOnly`).
    public var mode: PlannerMode
    /// GPUs one node contributes; demand in GPUs becomes nodes by dividing by this, rounding up.
    public var gpusPerNode: Double
    public var minNodes: Int
    public var maxNodes: Int
    /// What the target's replicas mean, which decides the number the operator writes.
    public var semantics: ReplicaSemantics
    public var warmPool: WarmPoolPolicy
    public var scaleDown: ScaleDownPolicy
    /// Price of one node-hour, when known. Without it the budget cannot be enforced.
    public var hourlyCost: Double?
    /// Most the pool may cost per hour; `nil` means unlimited.
    public var maxHourlyCost: Double?
    /// The planning step: the window the plan must cover extends one step past the lead time, because
    /// the next decision happens one step from now.
    public var step: TimeInterval
    /// The standby tier (`spec.warmPool.standby`); nil plans running nodes only, exactly as without one.
    public var standby: StandbyPolicy?

    public init(
        mode: PlannerMode = .active,
        gpusPerNode: Double,
        minNodes: Int = 0,
        maxNodes: Int,
        semantics: ReplicaSemantics = .totalNodes,
        warmPool: WarmPoolPolicy = WarmPoolPolicy(),
        scaleDown: ScaleDownPolicy = ScaleDownPolicy(),
        hourlyCost: Double? = nil,
        maxHourlyCost: Double? = nil,
        step: TimeInterval = 60,
        standby: StandbyPolicy? = nil
    ) {
        self.mode = mode
        self.gpusPerNode = gpusPerNode
        self.minNodes = minNodes
        self.maxNodes = maxNodes
        self.semantics = semantics
        self.warmPool = warmPool
        self.scaleDown = scaleDown
        self.hourlyCost = hourlyCost
        self.maxHourlyCost = maxHourlyCost
        self.step = step
        self.standby = standby
    }

    /// Most nodes the budget pays for, or `nil` when there is no budget or no price to apply it with.
    public var budgetNodeLimit: Int? {
        guard let maxHourlyCost, let hourlyCost, hourlyCost > 0 else { return nil }
        return max(0, Int(saturating: maxHourlyCost / hourlyCost + 1e-9, rounding: .down))
    }

    /// The pool size a target's `replicas` ask for: the replicas themselves for TotalNodes, and the
    /// spare nodes plus the nodes `demandGPUs` fills for Headroom (the inverse of `Plan.replicas`).
    public func requestedNodes(forReplicas replicas: Int, demandGPUs: Double) -> Int {
        switch semantics {
        case .totalNodes: return max(0, replicas)
        case .headroom:
            let fills = nodes(forGPUs: demandGPUs)
            return max(0, replicas) > Int.max - fills ? Int.max : max(0, replicas) + fills
        }
    }

    /// Nodes needed to hold `gpus`, rounding up (a fraction of a node is a whole node).
    public func nodes(forGPUs gpus: Double) -> Int {
        NodeCapacity.nodes(forGPUs: gpus, gpusPerNode: gpusPerNode)
    }
}

/// `active` acts on the plan; `forecastOnly` computes and publishes it so a team can watch what
/// Fleetcast would do before it is allowed to do it (the spec's `mode`).
public enum PlannerMode: String, Sendable, Hashable, CaseIterable {
    case active = "Active"
    case forecastOnly = "ForecastOnly"
}

/// How the scaled target counts: the whole pool (a MachineDeployment) or the spare nodes to hold
/// on top of what running work already fills (a CapacityBuffer or a placeholder Deployment).
public enum ReplicaSemantics: String, Sendable, Hashable, CaseIterable {
    case totalNodes = "TotalNodes"
    case headroom = "Headroom"
}

/// Ready, idle capacity held on top of the plan to absorb what no forecast saw (`minIdleNodes`, and
/// `minIdlePercent` of the GPUs the plan needs), and a cap on idle capacity (`maxIdleNodes`): idle nodes
/// beyond the cap are released without waiting out the stabilization window, because holding them is
/// known waste.
public struct WarmPoolPolicy: Sendable, Hashable {
    public var minIdleNodes: Int
    /// `nil`: no cap other than normal scale-down.
    public var maxIdleNodes: Int?
    /// Share of the needed GPUs, in percent, held idle on top of them. A forecast misses jumps in
    /// demand (a batch of instances, a burst of traffic), and their size grows with the pool's level:
    /// one warm node covers them in a pool of ten nodes, not in a pool of four hundred.
    public var minIdlePercent: Double
    /// Cap, in percent, of the share learned from the pool's own rises (`LearnedWarmCapacity`): the
    /// decision loop holds the larger of `minIdlePercent` and the learned share. `nil`: not learned.
    public var learnedMaxPercent: Double?

    public init(minIdleNodes: Int = 0, maxIdleNodes: Int? = nil, minIdlePercent: Double = 0, learnedMaxPercent: Double? = nil) {
        let floor = max(0, minIdleNodes)
        self.minIdleNodes = floor
        self.maxIdleNodes = maxIdleNodes.map { max(floor, $0) }
        self.minIdlePercent = minIdlePercent.isFinite ? min(max(minIdlePercent, 0), 100) : 0
        self.learnedMaxPercent = learnedMaxPercent.flatMap { $0.isFinite && $0 > 0 ? min($0, 100) : nil }
    }

    /// Warm nodes to hold when the plan needs `gpus`: the larger of `minIdleNodes` and
    /// `minIdlePercent` of `gpus` in whole nodes (rounded up), the percentage part capped by
    /// `maxIdleNodes` so the planner never asks for idle nodes it would release at once.
    public func idleNodes(forNeededGPUs gpus: Double, gpusPerNode: Double) -> Int {
        let share = minIdlePercent / 100 * max(gpus, 0)
        guard share > 0, gpusPerNode > 0 else { return minIdleNodes }
        let proportional = min(NodeCapacity.nodes(forGPUs: share, gpusPerNode: gpusPerNode), maxIdleNodes ?? Int.max)
        return max(minIdleNodes, proportional)
    }
}

/// Scale-down is slow on purpose: a node removed too early costs a full start-up to get back.
public struct ScaleDownPolicy: Sendable, Hashable {
    /// How long a lower plan must persist before the pool shrinks.
    public var stabilizationWindow: TimeInterval
    /// Most nodes removed in one planning step.
    public var maxNodesPerStep: Int

    public init(stabilizationWindow: TimeInterval = 900, maxNodesPerStep: Int = 2) {
        self.stabilizationWindow = stabilizationWindow
        self.maxNodesPerStep = max(1, maxNodesPerStep)
    }
}
