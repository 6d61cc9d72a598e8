import Autoscaling
import Forecasting
import Foundation
import PoolPolicy
import Sampling
import Simulation

/// Tuning as the operator does it, replayed honestly: every `interval` (a day), tune on the days
/// before — the last `window` of them, after a `leadIn` replayed unscored — and run the next day
/// with what was found. The result is a forecast of what a pool with an objective would have done,
/// never informed by the day it is scored on (`fleetcast simulate --compare`'s `tuned` row).
public struct RollingTuning: Sendable {
    public var search: TuningSearch
    public var base: DecisionSettings
    public var startup: DelayDistribution
    public var seed: UInt64
    public var window: TimeInterval
    public var leadIn: TimeInterval
    public var interval: TimeInterval
    /// Less scored history than this and the day runs with the base settings (the operator's
    /// `TuningHistoryTooShort`).
    public var minimumHistory: TimeInterval
    public var refitInterval: TimeInterval?
    /// The earliest offset ever scored: the first day of a trace, before the forecaster is ready,
    /// says little about the settings (the operator likewise holds no history from before it ran).
    public var earliestScored: TimeInterval

    public init(search: TuningSearch, base: DecisionSettings, startup: DelayDistribution, seed: UInt64 = 1,
                window: TimeInterval = 7 * 86_400, leadIn: TimeInterval = 86_400, interval: TimeInterval = 86_400,
                minimumHistory: TimeInterval = 86_400, refitInterval: TimeInterval? = nil, earliestScored: TimeInterval = 0) {
        self.earliestScored = max(0, earliestScored)
        self.search = search
        self.base = base
        self.startup = startup
        self.seed = seed
        self.window = window
        self.leadIn = leadIn
        self.interval = max(3600, interval)
        self.minimumHistory = minimumHistory
        self.refitInterval = refitInterval
    }

    /// One period's settings: from `from` (seconds from the trace start) until the next.
    public struct Period: Sendable, Hashable {
        public var from: TimeInterval
        public var knobs: TuningKnobs
        /// Whether the search met the objective on the days it saw (nil: too little history, base settings).
        public var met: Bool?
        public var replays: Int
        /// The objective as the search judged it (its backtest's margin and judgement; nil with the base settings).
        public var judged: TuningObjective? = nil
        /// How the search's backtest chose the judgement (nil: none ran).
        public var backtest: MarginBacktest.Choice? = nil
    }

    /// Tunes before every period of `trace` from `scoreFrom` on, and replays the whole trace with
    /// the settings changing at each period start (the base settings before the first).
    public func run(trace: DemandTrace, start: Date, scoreFrom: TimeInterval, record: Bool = false,
                    progress: ((Double) -> Void)? = nil) -> (run: SimulationRun, periods: [Period], replays: Int) {
        let duration = trace.step * Double(trace.gpus.count)
        var caches: [Double: ForecastCache] = [:]
        var periods: [Period] = []
        var replays = 0
        var boundary = scoreFrom
        while boundary < duration {
            progress?(boundary / duration)
            let scoredFrom = max(earliestScored, boundary - window)
            if boundary - scoredFrom < minimumHistory {
                periods.append(Period(from: boundary, knobs: TuningKnobs(base), met: nil, replays: 0))
            } else {
                let history = TuningHistory(demand: trace, start: start, replayFrom: max(0, scoredFrom - leadIn),
                                            scoreFrom: scoredFrom, scoreTo: boundary)
                var evaluator = ReplayEvaluator(history: history, base: base, startup: startup, seed: seed,
                                                waitQuantile: search.objective.waitQuantile, refitInterval: refitInterval, caches: caches)
                let outcome = search.run(&evaluator)
                caches = evaluator.forecastCaches
                replays += evaluator.replays
                periods.append(Period(from: boundary, knobs: outcome.recommended.knobs, met: outcome.met, replays: evaluator.replays,
                                      judged: outcome.objective, backtest: outcome.backtest))
            }
            boundary += interval
        }
        // The final replay over the whole trace, every quantile the periods use cached.
        let history = TuningHistory(demand: trace, start: start, scoreFrom: scoreFrom)
        var evaluator = ReplayEvaluator(history: history, base: base, startup: startup, seed: seed, refitInterval: refitInterval, caches: caches)
        for quantile in Set(periods.map(\.knobs.forecastQuantile) + [base.forecast.quantile]) { _ = evaluator.cache(quantile: quantile) }
        let allCaches = evaluator.forecastCaches, baseQuantile = base.forecast.quantile
        var policy = ScheduledSettingsPolicy(base: base, start: start, periods: periods.map { ($0.from, $0.knobs) }, caches: allCaches)
        let setup = SimulationSetup(
            workload: .demand(trace), start: start, planner: base.planner, leadTime: base.leadTime, startup: startup,
            warmup: scoreFrom, seed: seed, recordSteps: record,
            makeForecastSource: { SwitchingForecasts(caches: allCaches, quantile: baseQuantile) })
        let run = Simulator(setup: setup).run(&policy, name: "tuned", clampToLimits: false)
        return (run, periods, replays)
    }
}

/// The predictive policy whose settings change at given instants, as an operator in `Apply` mode
/// adopts each day's tuning: the decision loop keeps its planner state and learned rises, and takes
/// the new planner, lead-time quantile and forecast quantile.
struct ScheduledSettingsPolicy: ScalingPolicy {
    var inner: PredictivePolicy<SwitchingForecasts>
    let base: DecisionSettings
    let start: Date
    let periods: [(from: TimeInterval, knobs: TuningKnobs)]
    var next = 0

    init(base: DecisionSettings, start: Date, periods: [(from: TimeInterval, knobs: TuningKnobs)], caches: [Double: ForecastCache]) {
        self.base = base
        self.start = start
        self.periods = periods.sorted { $0.from < $1.from }
        inner = PredictivePolicy(loop: DecisionLoop(
            planner: Planner(policy: base.planner), leadTime: base.leadTime,
            forecasts: SwitchingForecasts(caches: caches, quantile: base.forecast.quantile)))
    }

    mutating func decide(_ context: PolicyContext) -> PolicyDecision {
        let offset = context.now.timeIntervalSince(start)
        while next < periods.count, periods[next].from <= offset + 1e-6 {
            let settings = periods[next].knobs.applied(to: base)
            inner.loop.planner = Planner(policy: settings.planner)
            inner.loop.leadTime = settings.leadTime
            inner.loop.forecasts.quantile = settings.forecast.quantile
            next += 1
        }
        return inner.decide(context)
    }
}

/// Cached forecasts for several quantiles; answers from the one in use.
struct SwitchingForecasts: ForecastSource {
    let caches: [Double: ForecastCache]
    var quantile: Double

    mutating func record(gpus: Double, at instant: Date) {}

    mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast? {
        caches[quantile]?.forecast(at: now)
    }
}
