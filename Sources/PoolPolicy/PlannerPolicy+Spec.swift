import Autoscaling
import FleetcastAPI
import Foundation

extension PlannerPolicy {
    /// The planner's view of a pool spec, defaults applied. `step` is how often the driver plans.
    public init(spec: GPUPoolSpec, step: TimeInterval = 60) {
        let spec = spec.withDefaults()
        self.init(
            mode: PlannerMode(spec.effectiveMode),
            gpusPerNode: Double(spec.nodes.gpusPerNode),
            minNodes: spec.effectiveMinNodes,
            maxNodes: spec.nodes.max,
            semantics: ReplicaSemantics(spec.effectiveSemantics),
            warmPool: WarmPoolPolicy(minIdleNodes: spec.effectiveMinIdleNodes, maxIdleNodes: spec.warmPool?.maxIdleNodes,
                                     minIdlePercent: Double(spec.warmPool?.minIdlePercent ?? 0),
                                     learnedMaxPercent: spec.warmPool?.learnedMaxPercent.map(Double.init)),
            scaleDown: ScaleDownPolicy(stabilizationWindow: spec.effectiveStabilizationWindow.seconds,
                                       maxNodesPerStep: spec.effectiveMaxNodesPerStep),
            hourlyCost: spec.nodes.hourlyCost,
            maxHourlyCost: spec.budget?.maxHourlyCost,
            step: step,
            standby: StandbyPolicy(spec: spec))
    }
}

extension PlannerMode {
    /// The spec's `mode`.
    public init(_ mode: PoolMode) {
        switch mode {
        case .active: self = .active
        case .forecastOnly: self = .forecastOnly
        }
    }
}

extension ReplicaSemantics {
    /// The spec's `target.semantics`.
    public init(_ semantics: TargetSemantics) {
        switch semantics {
        // A floor on the whole pool is a node count, like replicas of TotalNodes.
        case .totalNodes, .minimumSize: self = .totalNodes
        case .headroom: self = .headroom
        }
    }
}

extension LeadTimeEstimator {
    /// The estimator a pool's `spec.startup` asks for (prior and quantile, defaults applied).
    public init(spec: GPUPoolSpec, minimumSamples: Int = 5) {
        self.init(prior: spec.effectiveStartupExpected.seconds, quantile: spec.effectiveStartupQuantile,
                  minimumSamples: minimumSamples)
    }
}

extension StandbyPolicy {
    /// The planner's view of `spec.warmPool.standby`, or nil when the pool has none. The cost ratio is
    /// `standby.hourlyCost ÷ nodes.hourlyCost` when both prices are known, else the default fraction.
    public init?(spec: GPUPoolSpec) {
        guard let standby = spec.effectiveStandby else { return nil }
        var ratio = GPUPoolDefaults.standbyCostFraction
        if let standbyCost = standby.hourlyCost, let nodeCost = spec.nodes.hourlyCost, nodeCost > 0 {
            ratio = standbyCost / nodeCost
        }
        self.init(minNodes: standby.effectiveMinNodes, maxNodes: standby.maxNodes,
                  percent: Double(standby.percent ?? 0), costRatio: ratio)
    }
}

extension LeadTimeEstimator {
    /// The resume-time estimator `spec.warmPool.standby.resume` asks for, or nil without a standby tier.
    public init?(standbyOf spec: GPUPoolSpec, minimumSamples: Int = 5) {
        guard let standby = spec.effectiveStandby else { return nil }
        self.init(prior: standby.effectiveResumeExpected.seconds, quantile: standby.effectiveResumeQuantile,
                  minimumSamples: minimumSamples)
    }
}
