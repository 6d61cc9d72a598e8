import Foundation
import Simulation

/// One setting's replay as the tuner scores it: the whole replay's cost and served share, and the
/// worst scored day's served share and wait (the objective is judged on the worst day).
public struct ReplayScore: Sendable, Hashable, Codable {
    public var knobs: TuningKnobs
    /// The simulator's cost over the scored days (the pool's currency, or node-hours without a price).
    public var cost: Double
    public var servedFraction: Double
    /// The wait `waitQuantile` of demanded GPU-time stayed within over the whole replay (`FluidWaits`).
    public var wait: TimeInterval
    public var worstDayServedFraction: Double
    public var worstDayWait: TimeInterval
    /// Most nodes the replay asked for at any step (never above `nodes.max` or the budget).
    public var peakDesiredNodes: Int
    public var days: Int
    /// Each scored day in order, as `DayScores` measured it (empty when built from totals): the margin
    /// backtest (`MarginBacktest`) selects on some days and checks the selection on the next. Not encoded.
    public var daily: [DayScore] = []

    enum CodingKeys: String, CodingKey {
        case knobs, cost, servedFraction, wait, worstDayServedFraction, worstDayWait, peakDesiredNodes, days
    }

    /// Scores a recorded replay (`steps` must be recorded) day by day from `scoreStart` (seconds from
    /// the trace start), judging waits at `waitQuantile`.
    public init(knobs: TuningKnobs, run: SimulationRun, scoreStart: TimeInterval, step: TimeInterval, waitQuantile: Double) {
        self.knobs = knobs
        cost = run.result.cost
        servedFraction = run.result.servedFraction
        peakDesiredNodes = run.steps.map(\.desiredNodes).max() ?? 0
        let days = DayScores(run: run, scoreStart: scoreStart, step: step, waitQuantile: waitQuantile)
        wait = days.wait
        worstDayServedFraction = days.worstServedFraction
        worstDayWait = days.worstWait
        self.days = days.count
        daily = days.daily
    }

    public init(knobs: TuningKnobs, cost: Double, servedFraction: Double, wait: TimeInterval, worstDayServedFraction: Double,
                worstDayWait: TimeInterval, peakDesiredNodes: Int, days: Int, daily: [DayScore] = []) {
        self.daily = daily
        self.knobs = knobs
        self.cost = cost
        self.servedFraction = servedFraction
        self.wait = wait
        self.worstDayServedFraction = worstDayServedFraction
        self.worstDayWait = worstDayWait
        self.peakDesiredNodes = peakDesiredNodes
        self.days = days
    }

    /// The score this replay has over the scored days `indices` of `daily` alone, as if only they had
    /// been scored: a replay is causal, so its first days are exactly what a replay scoring only them
    /// would give (later days carry the state the days before left). Cost is the replay's cost shared
    /// out by the days' billed node-seconds; waits are judged at `waitQuantile` (the objective's).
    public func restricted(to indices: [Int], waitQuantile: Double) -> ReplayScore {
        let days = indices.filter { daily.indices.contains($0) }.map { daily[$0] }
        let totalNodeSeconds = daily.reduce(0) { $0 + $1.nodeSeconds }
        let pooled = DayScore.pooled(days)
        return ReplayScore(knobs: knobs, cost: totalNodeSeconds > 0 ? cost * pooled.nodeSeconds / totalNodeSeconds : 0,
                           servedFraction: pooled.servedFraction, wait: pooled.waits.quantile(waitQuantile),
                           worstDayServedFraction: days.map(\.servedFraction).min() ?? 1,
                           worstDayWait: days.map { $0.waits.quantile(waitQuantile) }.max() ?? 0,
                           peakDesiredNodes: peakDesiredNodes, days: days.count, daily: days)
    }
}

/// A recorded replay's served share and waits day by day, from its per-step records.
public struct DayScores: Sendable, Hashable {
    public var wait: TimeInterval
    public var worstServedFraction: Double
    public var worstWait: TimeInterval
    public var count: Int
    /// The days in order, from the first scored one.
    public var daily: [DayScore]

    public init(run: SimulationRun, scoreStart: TimeInterval, step: TimeInterval, waitQuantile: Double) {
        var days: [Int: FluidWaits] = [:]
        var nodeSeconds: [Int: Double] = [:]
        var whole = FluidWaits()
        var shortfallSteps = 0
        // Each record's unmet GPU-seconds are those of the step before it, whose demand the previous record holds.
        for (previous, record) in zip(run.steps, run.steps.dropFirst()) {
            let demanded = previous.demandGPUs * step
            let unmet = min(record.unmetGPUSeconds, demanded)
            shortfallSteps = unmet > 1e-9 ? shortfallSteps + 1 : 0
            let wait = unmet > 1e-9 ? (Double(shortfallSteps) - 0.5) * step : 0
            let day = Int(((previous.offset - scoreStart) / 86_400).rounded(.down))
            days[day, default: FluidWaits()].add(demanded: demanded, unmetGPUSeconds: unmet, wait: wait)
            nodeSeconds[day, default: 0] += Double(previous.billedNodes) * step
            whole.add(demanded: demanded, unmetGPUSeconds: unmet, wait: wait)
        }
        wait = whole.quantile(waitQuantile)
        let scored = days.values.filter { $0.demandedGPUSeconds > 0 }
        worstServedFraction = scored.map { 1 - $0.unmet.reduce(0) { $0 + $1.gpuSeconds } / $0.demandedGPUSeconds }.min() ?? 1
        worstWait = scored.map { $0.quantile(waitQuantile) }.max() ?? 0
        count = days.count
        daily = days.keys.sorted().map { DayScore(waits: days[$0] ?? FluidWaits(), nodeSeconds: nodeSeconds[$0] ?? 0) }
    }
}

/// One scored day of a replay: its demanded and unmet GPU-time with the waits, and the node-seconds
/// billed (sampled at each step; a day's share of the replay's cost).
public struct DayScore: Sendable, Hashable {
    public var waits: FluidWaits
    public var nodeSeconds: Double

    public init(waits: FluidWaits, nodeSeconds: Double) {
        self.waits = waits
        self.nodeSeconds = nodeSeconds
    }

    public var servedFraction: Double {
        guard waits.demandedGPUSeconds > 0 else { return 1 }
        return 1 - waits.unmet.reduce(0) { $0 + $1.gpuSeconds } / waits.demandedGPUSeconds
    }

    /// Several days as one: their demanded and unmet GPU-time and waits together, node-seconds summed.
    public static func pooled(_ days: [DayScore]) -> DayScore {
        var waits = FluidWaits()
        for day in days {
            waits.add(demanded: day.waits.demandedGPUSeconds, unmetGPUSeconds: 0, wait: 0)
            for sample in day.waits.unmet { waits.add(demanded: 0, unmetGPUSeconds: sample.gpuSeconds, wait: sample.wait) }
        }
        return DayScore(waits: waits, nodeSeconds: days.reduce(0) { $0 + $1.nodeSeconds })
    }
}
