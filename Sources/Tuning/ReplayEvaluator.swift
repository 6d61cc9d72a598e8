import Autoscaling
import Forecasting
import Foundation
import PoolPolicy
import Sampling
import Simulation

/// A pool's recorded demand, where it sits on the calendar, and which part of it the tuner scores.
public struct TuningHistory: Sendable {
    /// Demand per step from `start`.
    public var demand: DemandTrace
    /// The instant of offset 0.
    public var start: Date
    /// Offsets (seconds) of the scored part: `[scoreFrom, scoreTo)`.
    public var scoreFrom: TimeInterval
    public var scoreTo: TimeInterval
    /// Where each replay begins (≤ `scoreFrom`): the part before `scoreFrom` is replayed unscored, so
    /// the pool, its planner state and its learned warm share are in their running state when scoring starts.
    public var replayFrom: TimeInterval

    public init(demand: DemandTrace, start: Date, replayFrom: TimeInterval = 0, scoreFrom: TimeInterval, scoreTo: TimeInterval? = nil) {
        let duration = demand.step * Double(demand.gpus.count)
        self.demand = demand
        self.start = start
        self.scoreTo = min(scoreTo ?? duration, duration)
        self.scoreFrom = min(max(0, scoreFrom), self.scoreTo)
        self.replayFrom = min(max(0, replayFrom), self.scoreFrom)
    }

    /// Whole days scored.
    public var scoredDays: Double { (scoreTo - scoreFrom) / 86_400 }
}

/// Replays a pool's history through the decision loop — the same `Simulator` predictive run the CLI
/// uses — once per setting, with forecasts cached per quantile (`ForecastCache`), and scores it.
/// Counts what it did, so the search's work is bounded and reported.
public struct ReplayEvaluator: Sendable {
    public var history: TuningHistory
    public var base: DecisionSettings
    public var startup: DelayDistribution
    public var seed: UInt64
    public var waitQuantile: Double
    /// The forecaster's refit interval (nil: every bin, the operator's cadence).
    public var refitInterval: TimeInterval?
    /// Settings replayed so far (each once; repeats are answered from memory).
    public private(set) var replays = 0
    /// Forecast caches built so far (one per forecast quantile tried).
    public private(set) var fits = 0
    private var caches: [Double: ForecastCache] = [:]
    private var scores: [TuningKnobs: ReplayScore] = [:]
    /// Planning step of the replay.
    public let step: TimeInterval

    public init(history: TuningHistory, base: DecisionSettings, startup: DelayDistribution, seed: UInt64 = 1,
                waitQuantile: Double = 0.95, refitInterval: TimeInterval? = nil, caches: [Double: ForecastCache] = [:]) {
        self.history = history
        self.caches = caches
        self.base = base
        self.startup = startup
        self.seed = seed
        self.waitQuantile = waitQuantile
        self.refitInterval = refitInterval
        step = base.planner.step > 0 ? base.planner.step : 60
    }

    /// The longest lead time a replay may plan with: the start-up distribution's far tail or the prior.
    var leadTimeBound: TimeInterval {
        max(base.leadTime.prior, startup.quantile(0.99999))
    }

    /// The forecast caches built or given so far, by quantile, to hand to the next evaluator over the same demand.
    public var forecastCaches: [Double: ForecastCache] { caches }

    /// The forecasts for `quantile` over the whole history (built on first use).
    public mutating func cache(quantile: Double) -> ForecastCache {
        if let cache = caches[quantile] { return cache }
        var configuration = base.forecast
        configuration.quantile = quantile
        let cache = ForecastCache(trace: history.demand, start: history.start, step: step, configuration: configuration,
                                  refitInterval: refitInterval, horizon: ForecastCache.horizon(leadTimeBound: leadTimeBound, step: step))
        caches[quantile] = cache
        fits += 1
        return cache
    }

    /// Replays `knobs` over the history and scores the scored part.
    public mutating func score(_ knobs: TuningKnobs) -> ReplayScore {
        if let known = scores[knobs] { return known }
        let run = replay(knobs, record: true)
        let score = ReplayScore(knobs: knobs, run: run, scoreStart: history.scoreFrom - history.replayFrom, step: step,
                                waitQuantile: waitQuantile)
        scores[knobs] = score
        replays += 1
        return score
    }

    /// One replay of `knobs` from `replayFrom` to `scoreTo`.
    public mutating func replay(_ knobs: TuningKnobs, record: Bool) -> SimulationRun {
        let settings = knobs.applied(to: base)
        let cache = cache(quantile: knobs.forecastQuantile)
        let first = Int(history.replayFrom / history.demand.step)
        let last = Int((history.scoreTo / history.demand.step).rounded(.up))
        let slice = DemandTrace(step: history.demand.step, gpus: Array(history.demand.gpus[first..<min(last, history.demand.gpus.count)]))
        let setup = SimulationSetup(
            workload: .demand(slice), start: history.start.addingTimeInterval(history.replayFrom), planner: settings.planner,
            leadTime: settings.leadTime, startup: startup, warmup: history.scoreFrom - history.replayFrom, seed: seed,
            recordSteps: record, makeForecastSource: { CachedForecasts(cache: cache) })
        return Simulator(setup: setup).run(.predictive)
    }
}
