import Foundation

/// What a pool must achieve, as the tuner judges a replay: a share of demanded GPU-time served and/or
/// a wait that `waitQuantile` of GPU-time stays within — on the worst day of the replay (or over all its
/// days, `judgedOn`), with a `margin` so a setting that only just met it on the days seen is not chosen.
public struct TuningObjective: Sendable, Hashable, Codable {
    /// What part of a replay the objective is judged on.
    public enum Judged: String, Sendable, Hashable, Codable, CaseIterable {
        /// The worst scored day: a setting must hold on every day seen.
        case worstDay
        /// All scored days together, as the objective itself is stated: a rare bad day may be made up
        /// for by the others.
        case allDays
    }

    public var servedFraction: Double?
    /// Seconds.
    public var maxWait: TimeInterval?
    public var waitQuantile: Double
    /// Share of the allowance kept in reserve: with 0.25, a 0.999 objective (0.1 % unmet allowed)
    /// needs at most 0.075 % unmet on the worst day, a 120 s wait at most 90 s. Negative widens the
    /// allowance (−1: twice it); `MarginBacktest` chooses it from the history (within `marginRange`).
    public var margin: Double
    /// The worst day (the default) or all days together; `MarginBacktest` chooses it with the margin.
    public var judgedOn: Judged

    /// The margin a search starts from, and the one used when the history is too short to backtest.
    public static let defaultMargin = 0.25
    /// From twice the allowance to a tenth of it.
    public static let marginRange: ClosedRange<Double> = -1...0.9

    public init(servedFraction: Double? = nil, maxWait: TimeInterval? = nil, waitQuantile: Double = 0.95,
                margin: Double = TuningObjective.defaultMargin, judgedOn: Judged = .worstDay) {
        self.judgedOn = judgedOn
        self.servedFraction = servedFraction
        self.maxWait = maxWait
        self.waitQuantile = waitQuantile
        self.margin = min(max(margin, Self.marginRange.lowerBound), Self.marginRange.upperBound)
    }

    /// Whether `score` meets the objective on its worst day (or all days), margin included.
    public func isMet(by score: ReplayScore) -> Bool {
        violation(of: score) <= 1 + 1e-12
    }

    /// How far the worst day (or all days) is from the objective with its margin: at most 1 when met;
    /// larger is worse. Ranks settings that meet nothing by how close they came.
    public func violation(of score: ReplayScore) -> Double {
        judgedOn == .worstDay ? violation(served: score.worstDayServedFraction, wait: score.worstDayWait)
            : violation(served: score.servedFraction, wait: score.wait)
    }

    /// How far a served share and a wait are from the objective with its margin: at most 1 when met.
    public func violation(served: Double, wait: TimeInterval) -> Double {
        var worst = 0.0
        if let servedFraction {
            let allowed = max(1 - servedFraction, 1e-12) * (1 - margin)
            worst = max(worst, (1 - served) / allowed)
        }
        if let maxWait {
            let allowed = max(maxWait, 1e-9) * (1 - margin)
            worst = max(worst, wait / allowed)
        }
        return worst
    }

    public var description: String {
        var parts: [String] = []
        if let servedFraction { parts.append("served≥\(TuningKnobs.format(servedFraction))") }
        if let maxWait { parts.append("p\(TuningKnobs.format(waitQuantile * 100)) wait≤\(Int(maxWait))s") }
        return parts.joined(separator: ", ")
    }

    /// Judged by `rule` (a backtest's choice) from now on.
    public mutating func apply(_ rule: MarginBacktest.Rule) {
        judgedOn = rule.judgedOn
        margin = rule.margin
    }

    /// How it is judged, for messages: "the worst day, margin 25 %" or "all days together, margin −100 %".
    public var judgement: String {
        (judgedOn == .worstDay ? "the worst day" : "all days together") + ", margin \(Int((margin * 100).rounded())) %"
    }
}
