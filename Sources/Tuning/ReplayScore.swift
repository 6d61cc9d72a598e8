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
    }

    public init(knobs: TuningKnobs, cost: Double, servedFraction: Double, wait: TimeInterval, worstDayServedFraction: Double,
                worstDayWait: TimeInterval, peakDesiredNodes: Int, days: Int) {
        self.knobs = knobs
        self.cost = cost
        self.servedFraction = servedFraction
        self.wait = wait
        self.worstDayServedFraction = worstDayServedFraction
        self.worstDayWait = worstDayWait
        self.peakDesiredNodes = peakDesiredNodes
        self.days = days
    }
}

/// A recorded replay's served share and waits day by day, from its per-step records.
public struct DayScores: Sendable, Hashable {
    public var wait: TimeInterval
    public var worstServedFraction: Double
    public var worstWait: TimeInterval
    public var count: Int

    public init(run: SimulationRun, scoreStart: TimeInterval, step: TimeInterval, waitQuantile: Double) {
        var days: [Int: FluidWaits] = [:]
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
            whole.add(demanded: demanded, unmetGPUSeconds: unmet, wait: wait)
        }
        wait = whole.quantile(waitQuantile)
        let scored = days.values.filter { $0.demandedGPUSeconds > 0 }
        worstServedFraction = scored.map { 1 - $0.unmet.reduce(0) { $0 + $1.gpuSeconds } / $0.demandedGPUSeconds }.min() ?? 1
        worstWait = scored.map { $0.quantile(waitQuantile) }.max() ?? 0
        count = days.count
    }
}
