import Foundation
import Forecasting
import Sampling

/// Builders for synthetic demand with known shape.
enum SyntheticDemand {
    static let day: TimeInterval = 86_400
    static let week: TimeInterval = 7 * 86_400
    /// A Monday 00:00 UTC, so weekly phases are easy to reason about.
    static let start = Date(timeIntervalSince1970: 1_767_571_200)  // 2026-01-05

    /// 100 + 40·sin(daily) (+ 30 on weekdays' working hours when `weekly`), at instant `t` seconds from start.
    static func pattern(_ t: TimeInterval, weekly: Bool = false) -> Double {
        var value = 100 + 40 * sin(2 * .pi * t / day)
        if weekly {
            let dayOfWeek = Int(t / day) % 7
            let hour = t.truncatingRemainder(dividingBy: day) / 3600
            if dayOfWeek < 5, hour >= 8, hour < 18 { value += 30 }
        }
        return value
    }

    /// A history with one sample per bin from `start` for `duration`, of `value(t)` plus noise.
    static func history(duration: TimeInterval, step: TimeInterval = 300, noise: Double = 0, seed: UInt64 = 1,
                        value: (TimeInterval) -> Double) -> DemandHistory {
        var generator = SplitMix64(seed: seed)
        var history = DemandHistory(step: step, retention: 30 * day)
        var t = 0.0
        while t < duration {
            let sample = max(0, value(t) + noise * generator.normal())
            history.record(gpus: sample, at: start.addingTimeInterval(t))
            t += step
        }
        return history
    }
}
