import Autoscaling
import Forecasting
import Foundation
import Sampling

/// Replays a trace through a policy on a virtual clock. Event-driven: nodes become ready at their
/// sampled start-up times, demand changes at trace steps, jobs arrive and finish, and the policy is
/// asked at every planning step. Deterministic for a given setup (seeded start-up draws, ordered ties).
public struct Simulator: Sendable {
    public var setup: SimulationSetup

    public init(setup: SimulationSetup) {
        self.setup = setup
    }

    /// Runs one policy over the whole trace and scores the part after the warm-up. `progress` is
    /// called now and then with the fraction of the trace replayed (for a progress bar).
    public func run(_ kind: PolicyKind, progress: ((Double) -> Void)? = nil) -> SimulationRun {
        let policy = setup.planner
        let ideal = setup.idealDemand
        let peakNodes = clamp(policy.nodes(forGPUs: ideal.gpus.max() ?? 0))
        let initialNodes = clamp(policy.nodes(forGPUs: ideal.gpus.first ?? 0))
        var engine = SimulationEngine(setup: setup, name: kind.rawValue, progress: progress)
        switch kind {
        case .predictive:
            // Running nodes only: the standby tier, if the pool has one, is the tiered row's.
            var runningOnly = setup
            runningOnly.planner.standby = nil
            engine = SimulationEngine(setup: runningOnly, name: kind.rawValue, progress: progress)
            return runPredictive(forecasts: setup.makeForecastSource(), engine: &engine, initialNodes: initialNodes, resume: nil)
        case .tiered:
            engine.usesStandby = policy.standby != nil
            return runPredictive(forecasts: setup.makeForecastSource(), engine: &engine, initialNodes: initialNodes,
                                 resume: setup.resumeEstimator)
        case .reactive:
            var reactive = ReactivePolicy(gpusPerNode: policy.gpusPerNode)
            return engine.run(initialNodes: initialNodes, policy: &reactive, clampToLimits: true)
        case .scheduled:
            var scheduled = ReactivePolicy(gpusPerNode: policy.gpusPerNode, schedules: setup.schedules)
            return engine.run(initialNodes: initialNodes, policy: &scheduled, clampToLimits: true)
        case .yesterday:
            var rule = YesterdayPolicy(gpusPerNode: policy.gpusPerNode, leadTime: setup.leadTime)
            return engine.run(initialNodes: initialNodes, policy: &rule, clampToLimits: true)
        case .static:
            var fixed = StaticPolicy(nodes: peakNodes)
            return engine.run(initialNodes: peakNodes, policy: &fixed, clampToLimits: true)
        case .oracle:
            var random = SplitMix64(seed: setup.seed)
            let lifecycles = OraclePlan.lifecycles(
                needed: ideal.gpus.map { clamp(policy.nodes(forGPUs: $0)) }, step: ideal.step,
                startup: setup.startup, random: &random)
            return engine.run(lifecycles: lifecycles)
        }
    }

    /// The predictive policy over `forecasts` (the existential opened to its concrete source).
    private func runPredictive<Forecasts: ForecastSource>(
        forecasts: Forecasts, engine: inout SimulationEngine, initialNodes: Int, resume: LeadTimeEstimator?
    ) -> SimulationRun {
        var loop = DecisionLoop(planner: Planner(policy: engine.setup.planner), leadTime: setup.leadTime, forecasts: forecasts)
        loop.resume = resume
        var predictive = PredictivePolicy(loop: loop)
        return engine.run(initialNodes: initialNodes, policy: &predictive, clampToLimits: false)
    }

    /// Runs a policy that is not one of `PolicyKind` (the tuner's, which changes its settings day by
    /// day), named `name` in the results, starting from the nodes the trace's first demand needs.
    /// `clampToLimits` applies the pool's min and max to its answers, as for the reference policies.
    public func run<P: ScalingPolicy>(_ policy: inout P, name: String, clampToLimits: Bool,
                                      progress: ((Double) -> Void)? = nil) -> SimulationRun {
        var engine = SimulationEngine(setup: setup, name: name, progress: progress)
        let initialNodes = clamp(setup.planner.nodes(forGPUs: setup.idealDemand.gpus.first ?? 0))
        return engine.run(initialNodes: initialNodes, policy: &policy, clampToLimits: clampToLimits)
    }

    /// Runs several policies in order; `tiered` only when the pool has a standby tier.
    public func run(_ kinds: [PolicyKind]) -> [SimulationRun] {
        kinds.filter { $0 != .tiered || setup.planner.standby != nil }.map { run($0) }
    }

    private func clamp(_ nodes: Int) -> Int {
        min(max(nodes, setup.planner.minNodes), setup.planner.maxNodes)
    }
}

/// The oracle knows the whole demand curve and every node's start-up time in advance. Each "layer"
/// of capacity (the k-th node) is requested exactly one start-up before it is needed and removed the
/// moment it is not, unless it is needed again sooner than a new node could start (keeping it is then
/// cheaper). That is the least node-time that leaves no demand waiting.
enum OraclePlan {
    struct Lifecycle {
        var request: TimeInterval
        var ready: TimeInterval
        var remove: TimeInterval
    }

    static func lifecycles(needed: [Int], step: TimeInterval, startup: DelayDistribution,
                           random: inout SplitMix64) -> [Lifecycle] {
        var open: [TimeInterval] = []
        var layers: [[(start: TimeInterval, end: TimeInterval)]] = []
        for (index, count) in needed.enumerated() {
            let time = Double(index) * step
            while open.count < count { open.append(time) }
            while open.count > count, let start = open.popLast() {
                append(&layers, layer: open.count, (start, time))
            }
        }
        let end = Double(needed.count) * step
        while let start = open.popLast() { append(&layers, layer: open.count, (start, end)) }

        var result: [Lifecycle] = []
        for intervals in layers {
            var current: Lifecycle?
            for interval in intervals {
                let delay = interval.start <= 0 ? 0 : startup.sample(using: &random)
                if var kept = current, interval.start - kept.remove <= delay {
                    kept.remove = interval.end
                    current = kept
                    continue
                }
                if let finished = current { result.append(finished) }
                current = Lifecycle(request: interval.start - delay, ready: interval.start, remove: interval.end)
            }
            if let finished = current { result.append(finished) }
        }
        return result.sorted { ($0.request, $0.ready) < ($1.request, $1.ready) }
    }

    private static func append(_ layers: inout [[(start: TimeInterval, end: TimeInterval)]], layer: Int,
                               _ interval: (start: TimeInterval, end: TimeInterval)) {
        while layers.count <= layer { layers.append([]) }
        if interval.end > interval.start { layers[layer].append(interval) }
    }
}
