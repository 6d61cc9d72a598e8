import Foundation

/// What a pool must achieve, as the tuner judges a replay: a share of demanded GPU-time served and/or
/// a wait that `waitQuantile` of GPU-time stays within — each on the worst day of the replay, with a
/// `margin` so a setting that only just met it on the days seen is not chosen.
public struct TuningObjective: Sendable, Hashable, Codable {
    public var servedFraction: Double?
    /// Seconds.
    public var maxWait: TimeInterval?
    public var waitQuantile: Double
    /// Share of the allowance kept in reserve: with 0.25, a 0.999 objective (0.1 % unmet allowed)
    /// needs at most 0.075 % unmet on the worst day, a 120 s wait at most 90 s.
    public var margin: Double

    public static let defaultMargin = 0.25

    public init(servedFraction: Double? = nil, maxWait: TimeInterval? = nil, waitQuantile: Double = 0.95,
                margin: Double = TuningObjective.defaultMargin) {
        self.servedFraction = servedFraction
        self.maxWait = maxWait
        self.waitQuantile = waitQuantile
        self.margin = min(max(margin, 0), 0.9)
    }

    /// Whether `score` meets the objective on its worst day, margin included.
    public func isMet(by score: ReplayScore) -> Bool {
        violation(of: score) <= 1 + 1e-12
    }

    /// How far the worst day is from the objective with its margin: at most 1 when met; larger is
    /// worse. Ranks settings that meet nothing by how close they came.
    public func violation(of score: ReplayScore) -> Double {
        var worst = 0.0
        if let servedFraction {
            let allowed = max(1 - servedFraction, 1e-12) * (1 - margin)
            worst = max(worst, (1 - score.worstDayServedFraction) / allowed)
        }
        if let maxWait {
            let allowed = max(maxWait, 1e-9) * (1 - margin)
            worst = max(worst, score.worstDayWait / allowed)
        }
        return worst
    }

    public var description: String {
        var parts: [String] = []
        if let servedFraction { parts.append("served≥\(TuningKnobs.format(servedFraction))") }
        if let maxWait { parts.append("p\(TuningKnobs.format(waitQuantile * 100)) wait≤\(Int(maxWait))s") }
        return parts.joined(separator: ", ")
    }
}
