import Foundation

/// Chooses how the tuner judges a setting — the margin, and the worst day or all days together — from
/// the history being tuned on, out of sample, instead of fixing it.
///
/// The worst-day rule with a fixed margin is a guess at how far the next day can fall from the days
/// seen: too loose on a pool whose next day brings a burst the days before did not (its tuned settings
/// then miss the objective), too strict on a steady pool (it pays for headroom it never uses), and on a
/// pool whose bursts are rare it pays every day for the worst one. The backtest asks the history
/// instead, one day held out at a time: for each scored day k, select among the settings replayed the
/// one the tuner would recommend under a rule on the other days alone, and see what that setting did
/// on day k. A rule passes when its selections, pooled over every held-out day, meet the objective
/// with `heldOutMargin` of its allowance in reserve (served share of all their demanded GPU-time; the
/// wait of all of it at `waitQuantile`). The chosen rule is the passing one whose held-out days cost
/// least; if none passes, the one that came closest.
///
/// Every replay is causal, so a setting's days are exactly what replays scoring only them would give,
/// up to the state carried across the held-out day: the backtest replays nothing (it reads
/// `ReplayScore.daily`). The settings it selects among are those the search tried on the whole window,
/// so they were found with day k in view; no selection ever sees the day it is checked on.
public struct MarginBacktest: Sendable, Hashable {
    /// One way of judging: the objective on `judgedOn` with `margin` (a negative margin widens the
    /// allowance: −1 lets the worst replayed day leave twice the objective's unmet share).
    public struct Rule: Sendable, Hashable, Codable {
        public var judgedOn: TuningObjective.Judged
        public var margin: Double

        public init(_ judgedOn: TuningObjective.Judged, margin: Double) {
            self.judgedOn = judgedOn
            self.margin = min(max(margin, TuningObjective.marginRange.lowerBound), TuningObjective.marginRange.upperBound)
        }
    }

    /// Strictest first within each judgement (ties in held-out cost go to the earlier rule).
    public static let defaultRules: [Rule] =
        [0.9, 0.75, 0.5, 0.25, 0, -0.5, -1].map { Rule(.worstDay, margin: $0) }
        + [0.9, 0.75, 0.5, 0.25, 0].map { Rule(.allDays, margin: $0) }

    public var rules: [Rule]
    /// Share of the objective's allowance the held-out days must keep in reserve: a handful of days is
    /// a noisy estimate, and the cheapest of several rules that pass tends to be one that passed by luck.
    public var heldOutMargin: Double
    /// Fewer scored days than this and nothing is backtested (one held out leaves too little to select on).
    public var minimumDays: Int

    public init(rules: [Rule] = MarginBacktest.defaultRules, heldOutMargin: Double = TuningObjective.defaultMargin, minimumDays: Int = 3) {
        self.heldOutMargin = min(max(heldOutMargin, 0), 0.9)
        var unique: [Rule] = []
        for rule in rules where !unique.contains(rule) { unique.append(rule) }
        self.rules = unique
        self.minimumDays = max(2, minimumDays)
    }

    /// What the backtest found for one rule.
    public struct Trial: Sendable, Hashable, Codable {
        public var rule: Rule
        /// Served share of all held-out days' demanded GPU-time, by the settings selected without each.
        public var heldOutServedFraction: Double
        /// The objective's wait quantile over all held-out days' demanded GPU-time.
        public var heldOutWait: TimeInterval
        /// Node-seconds the selected settings billed on their held-out days.
        public var heldOutNodeSeconds: Double
        public var met: Bool
    }

    /// The rule chosen and every rule's trial.
    public struct Choice: Sendable, Hashable, Codable {
        public var rule: Rule
        public var heldOutDays: Int
        public var trials: [Trial]
    }

    /// Backtests each rule over `scores` (the settings one search replayed over the same days); nil
    /// when there are no rules, or fewer than `minimumDays` scored days.
    public func choose(objective: TuningObjective, scores: [ReplayScore]) -> Choice? {
        let days = scores.map(\.daily.count).min() ?? 0
        guard days >= minimumDays, !rules.isEmpty else { return nil }
        let quantile = objective.waitQuantile
        // Every setting seen without each day, shared by all rules.
        let without = (0..<days).map { k in scores.map { $0.restricted(to: (0..<days).filter { $0 != k }, waitQuantile: quantile) } }
        var trials: [Trial] = []
        for rule in rules {
            var judged = objective
            judged.apply(rule)
            var heldOut: [DayScore] = []
            for k in 0..<days {
                guard let pick = TuningSearch.pick(from: without[k], objective: judged),
                      let index = without[k].firstIndex(where: { $0.knobs == pick.knobs }) else { continue }
                heldOut.append(scores[index].daily[k])
            }
            let pooled = DayScore.pooled(heldOut)
            let wait = pooled.waits.quantile(quantile)
            let met = Self.violation(objective, served: pooled.servedFraction, wait: wait) <= 1 - heldOutMargin + 1e-12
            trials.append(Trial(rule: rule, heldOutServedFraction: pooled.servedFraction, heldOutWait: wait,
                                heldOutNodeSeconds: pooled.nodeSeconds, met: met))
        }
        let passing = trials.filter(\.met)
        let chosen = passing.isEmpty
            ? trials.min { Self.violation(objective, served: $0.heldOutServedFraction, wait: $0.heldOutWait)
                < Self.violation(objective, served: $1.heldOutServedFraction, wait: $1.heldOutWait) }
            : passing.min { $0.heldOutNodeSeconds < $1.heldOutNodeSeconds - 1e-6 }
        guard let chosen else { return nil }
        return Choice(rule: chosen.rule, heldOutDays: days, trials: trials)
    }

    /// How far held-out days are from the objective itself (no margin): at most 1 when met.
    static func violation(_ objective: TuningObjective, served: Double, wait: TimeInterval) -> Double {
        var unreserved = objective
        unreserved.margin = 0
        return unreserved.violation(served: served, wait: wait)
    }
}
