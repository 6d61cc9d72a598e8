import Autoscaling
import Foundation
import PoolPolicy
import Sampling
import Simulation

/// The reference policy families, each swept over its own knob, on the same scored history the
/// tuner replays — so predictive's frontier can be put beside theirs (hack/bench/frontier.sh).
public enum PolicyFamily: String, Sendable, Hashable, CaseIterable, Codable {
    /// Reactive scaling plus a fixed warm pool of k nodes.
    case reactive
    /// A fixed number of nodes all the time.
    case `static`
    /// Yesterday's demand over the next start-up time, plus a margin and one warm node.
    case yesterday
    /// Fleetcast's decision loop, over the tuner's knobs.
    case predictive
}

/// One family's setting and its replay.
public struct FamilyPoint: Sendable, Hashable, Codable {
    public var family: PolicyFamily
    /// The knob's value, as text (`k=4`, `margin=0.2`, or the predictive knobs).
    public var setting: String
    public var cost: Double
    public var servedFraction: Double
    public var worstDayServedFraction: Double

    public init(family: PolicyFamily, setting: String, cost: Double, servedFraction: Double, worstDayServedFraction: Double) {
        self.family = family
        self.setting = setting
        self.cost = cost
        self.servedFraction = servedFraction
        self.worstDayServedFraction = worstDayServedFraction
    }

    /// The points no other point of the same family beats on both cost and served share, cheapest first.
    public static func frontier(_ points: [FamilyPoint]) -> [FamilyPoint] {
        var result: [FamilyPoint] = []
        for point in points.sorted(by: { ($0.cost, -$0.servedFraction) < ($1.cost, -$1.servedFraction) })
        where point.servedFraction > (result.last?.servedFraction ?? -1) + 1e-12 {
            result.append(point)
        }
        return result
    }
}

extension TuningOutcome {
    /// Every setting the search tried, as points of the predictive family (for `FrontierChart`).
    public var points: [FamilyPoint] {
        tried.map {
            FamilyPoint(family: .predictive, setting: $0.knobs.description, cost: $0.cost, servedFraction: $0.servedFraction,
                        worstDayServedFraction: $0.worstDayServedFraction)
        }
    }
}

extension ReplayEvaluator {
    /// Warm pools the reactive family is swept over.
    public static let reactiveWarmNodes = [0, 1, 2, 4, 8, 16, 32]
    /// Margins the `yesterday` family is swept over (with its one warm node).
    public static let yesterdayMargins = [0, 0.05, 0.1, 0.2, 0.3, 0.5]
    /// Static pool sizes, as shares of the nodes the scored demand's peak needs.
    public static let staticShares = [0.6, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1]

    /// Replays every reference family over its knob on this history (with the base settings' limits
    /// and price) and scores each the way the tuner scores its own settings.
    public mutating func sweepReferenceFamilies() -> [FamilyPoint] {
        let settings = base
        let first = Int(history.replayFrom / history.demand.step)
        let last = min(Int((history.scoreTo / history.demand.step).rounded(.up)), history.demand.gpus.count)
        let slice = DemandTrace(step: history.demand.step, gpus: Array(history.demand.gpus[first..<last]))
        let cache = cache(quantile: base.forecast.quantile)
        let setup = SimulationSetup(
            workload: .demand(slice), start: history.start.addingTimeInterval(history.replayFrom), planner: settings.planner,
            leadTime: settings.leadTime, startup: startup, warmup: history.scoreFrom - history.replayFrom, seed: seed,
            recordSteps: true, makeForecastSource: { CachedForecasts(cache: cache) })
        let simulator = Simulator(setup: setup)
        let scoredPeak = Array(history.demand.gpus[Int(history.scoreFrom / history.demand.step)..<last]).max() ?? 0
        let peakNodes = settings.planner.nodes(forGPUs: scoredPeak)
        var points: [FamilyPoint] = []
        func add<P: ScalingPolicy>(_ family: PolicyFamily, _ setting: String, _ policy: P, initial: Int? = nil) {
            var policy = policy
            let run = simulator.run(&policy, name: family.rawValue, clampToLimits: true)
            let days = DayScores(run: run, scoreStart: history.scoreFrom - history.replayFrom, step: step, waitQuantile: waitQuantile)
            points.append(FamilyPoint(family: family, setting: setting, cost: run.result.cost, servedFraction: run.result.servedFraction,
                                      worstDayServedFraction: days.worstServedFraction))
        }
        for warm in Self.reactiveWarmNodes {
            add(.reactive, "warm=\(warm)", ReactivePolicy(gpusPerNode: settings.planner.gpusPerNode, warmNodes: warm))
        }
        for share in Self.staticShares {
            let nodes = min(settings.planner.maxNodes, max(1, Int((Double(peakNodes) * share).rounded(.up))))
            add(.static, "nodes=\(nodes)", StaticPolicy(nodes: nodes))
        }
        for margin in Self.yesterdayMargins {
            add(.yesterday, "margin=\(TuningKnobs.format(margin))",
                YesterdayPolicy(gpusPerNode: settings.planner.gpusPerNode, leadTime: settings.leadTime, margin: margin))
        }
        return points
    }
}

extension ReplayEvaluator {
    /// Predictive swept over a fixed grid of its free knobs — forecast quantile × warm floor ×
    /// stabilization window, the others as in `from` — so its frontier is drawn from as many settings
    /// as the other families', not only from where the objective's search went.
    public mutating func sweepPredictive(from base: TuningKnobs, free: Set<Knob>) -> [FamilyPoint] {
        var grid = [base]
        func widen(_ knob: Knob) {
            guard free.contains(knob) else { return }
            grid = grid.flatMap { KnobGrid.variants(of: $0, turning: knob, planner: self.base.planner) }
        }
        widen(.forecastQuantile)
        widen(.minIdleNodes)
        if free.contains(.stabilizationWindow) {
            grid = grid.flatMap { knobs in [300.0, 900].map { var tuned = knobs; tuned.stabilizationWindow = $0; return tuned } }
        }
        return grid.map { knobs in
            let score = score(knobs)
            return FamilyPoint(family: .predictive, setting: knobs.description, cost: score.cost, servedFraction: score.servedFraction,
                               worstDayServedFraction: score.worstDayServedFraction)
        }
    }
}
