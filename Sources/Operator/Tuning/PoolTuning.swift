import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import PoolPolicy
import Sampling
import Simulation
import Tuning

/// One tuning of one pool: its recorded demand history replayed through `TuningSearch` — the search
/// `fleetcast tune` runs, on the same replay (`ReplayEvaluator`, the simulator's predictive run of the
/// decision loop) — and the result as `status.tuning`. Pure and synchronous; the controller runs it
/// on a thread of its own.
enum PoolTuning {
    /// Less recorded demand than this and nothing is tuned (`HistoryTooShort`).
    static let minimumHistory: TimeInterval = 7 * 86_400
    /// The part of the history scored: the last week (the part before it teaches the forecaster).
    static let scoredSpan: TimeInterval = 7 * 86_400
    /// Replayed unscored before the scored part, so the pool and planner are in their running state.
    static let leadIn: TimeInterval = 86_400

    /// Tunes `spec` (valid, with `spec.objective`) over `history` at `now`; `maxSettings` bounds the replays.
    static func tune(spec: GPUPoolSpec, generation: Int64?, history: DemandHistory?, now: Date, maxSettings: Int) -> TuningStatus {
        var status = TuningStatus(lastTuneTime: KubeTime.format(now), observedGeneration: generation)
        guard let objectiveSpec = spec.objective else { return status }
        let recorded = Double(history?.observedBinCount ?? 0) * (history?.step ?? 0)
        status.historyDays = rounded(recorded / 86_400, 2)
        guard let history, let start = history.start, let end = history.end, recorded >= minimumHistory else {
            status.result = TuningResult.historyTooShort.rawValue
            status.message = "\(String(format: "%.1f", recorded / 86_400)) days of recorded demand; tuning replays at least 7. "
                + "The pool plans with its spec as written."
            return status
        }
        status.historyStart = KubeTime.format(start)
        status.historyEnd = KubeTime.format(end)
        let base: DecisionSettings
        do {
            base = try DecisionSettings(spec: spec)
        } catch {
            status.result = TuningResult.objectiveNotMet.rawValue
            status.message = "The spec does not convert: \(error.description)"
            return status
        }
        let trace = demandTrace(history)
        let duration = trace.step * Double(trace.gpus.count)
        let scoreFrom = max(leadIn, duration - scoredSpan)
        let replay = TuningHistory(demand: trace, start: start, replayFrom: scoreFrom - leadIn, scoreFrom: scoreFrom, scoreTo: duration)
        let objective = TuningObjective(spec: objectiveSpec)
        var evaluator = ReplayEvaluator(history: replay, base: base, startup: .fixed(spec.withDefaults().effectiveStartupExpected.seconds),
                                        waitQuantile: objective.waitQuantile)
        let free = spec.tunableKnobs
        let outcome = TuningSearch(objective: objective, free: free, maxSettings: maxSettings).run(&evaluator)
        status.result = (outcome.met ? TuningResult.objectiveMet : .objectiveNotMet).rawValue
        status.settings = TunedSettings(outcome.recommended.knobs, fields: free)
        status.recommended = ReplayedOutcome(outcome.recommended)
        status.current = ReplayedOutcome(outcome.baseline)
        status.settingsTried = evaluator.replays
        status.message = message(outcome, objective: objective, days: replay.scoredDays)
        return status
    }

    /// The history's bin peaks as a demand series; a missing bin takes the bin before it (0 at the start),
    /// so an operator outage is replayed as demand going on, not as demand vanishing.
    static func demandTrace(_ history: DemandHistory) -> DemandTrace {
        let first = history.firstBin
        var last = 0.0
        let gpus = history.peakSeries(fromBin: first, toBin: first + history.binCount).map { value -> Double in
            if value.isFinite { last = value }
            return last
        }
        return DemandTrace(step: history.step, gpus: gpus)
    }

    static func message(_ outcome: TuningOutcome, objective: TuningObjective, days: Double) -> String {
        let ratio = outcome.baseline.cost > 0 ? outcome.recommended.cost / outcome.baseline.cost : 1
        let change = String(format: "%+.1f %%", (ratio - 1) * 100)
        let served = String(format: "%.3f %%", outcome.recommended.worstDayServedFraction * 100)
        let chosen = outcome.backtest.map { " (chosen by backtest over \($0.heldOutDays) held-out days)" } ?? ""
        if outcome.met {
            return "Cheapest setting found that meets \(outcome.objective.description) over \(Int(days.rounded())) replayed days, judged on "
                + "\(outcome.objective.judgement)\(chosen) (worst day \(served) served): cost \(change) against the spec as written."
        }
        return "No setting tried meets \(outcome.objective.description) over \(Int(days.rounded())) replayed days, judged on "
            + "\(outcome.objective.judgement)\(chosen); the closest (worst day \(served) served) costs \(change) against the spec as written."
    }

    static func rounded(_ value: Double, _ digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }
}

extension ReplayedOutcome {
    init(_ score: ReplayScore) {
        self.init(servedFraction: PoolTuning.rounded(score.servedFraction, 6),
                  worstDayServedFraction: PoolTuning.rounded(score.worstDayServedFraction, 6),
                  waitSeconds: PoolTuning.rounded(score.wait, 1), worstDayWaitSeconds: PoolTuning.rounded(score.worstDayWait, 1),
                  cost: PoolTuning.rounded(score.cost, 2))
    }
}
