import Foundation
import Sampling

/// Demand of a shared training cluster, built from simulated jobs so it has the texture of a real one:
/// GPUs held in blocks of 1–64 for minutes to days, submissions mostly on weekday working hours,
/// multi-day swings in load, and hyper-parameter sweeps that add many short jobs at once.
struct TrainingClusterModel: Sendable {
    /// Target mean GPUs in use; sets the submission rate.
    var level: Double = 300
    static let submissionShape = DailyShape([(0, 0.6), (6, 0.55), (9, 1.4), (13, 1.5), (18, 1.2), (22, 0.8)])
    /// Sunday … Saturday.
    static let weekdayFactor = [0.6, 1.15, 1.15, 1.15, 1.15, 1.1, 0.55]
    static let jobSizes: [(gpus: Double, weight: Double)] = [
        (1, 0.30), (2, 0.15), (4, 0.15), (8, 0.25), (16, 0.08), (32, 0.05), (64, 0.02),
    ]
    static let medianDurationMinutes = 150.0
    static let durationSpread = 1.3          // σ of log-duration
    static let longestJobMinutes = 5.0 * 1_440
    static let sweepsPerDay = 0.4
    static let trendPerDay = 0.001
    /// Days simulated before t = 0 so the cluster is already busy at the start.
    static let warmUpDays = 5

    func values(count: Int, clock: TraceClock, random: inout SplitMix64) -> [Double] {
        let stepMinutes = clock.step / 60
        let meanSize = Self.jobSizes.reduce(0) { $0 + $1.gpus * $1.weight }
        let meanDuration = Self.medianDurationMinutes * exp(Self.durationSpread * Self.durationSpread / 2)
        let submissionsPerMinute = level / (meanSize * meanDuration)
        let stepsPerDay = Int((1_440 / stepMinutes).rounded())
        let firstIndex = -Self.warmUpDays * stepsPerDay

        var change = [Double](repeating: 0, count: count + 1)
        func hold(gpus: Double, fromMinute start: Double, minutes: Double) {
            let first = max(0, Int((start / stepMinutes).rounded(.up)))
            let pastLast = min(count, Int(((start + minutes) / stepMinutes).rounded(.up)))
            guard first < pastLast else { return }
            change[first] += gpus
            change[pastLast] -= gpus
        }

        var swing = 0.0
        let swingPersistence = pow(0.985, stepMinutes / 60)
        for index in firstIndex..<count {
            let position = clock.position(ofSample: index)
            let minute = Double(index) * stepMinutes
            swing = swingPersistence * swing
                + (1 - swingPersistence * swingPersistence).squareRoot() * random.normal()
            let rate = submissionsPerMinute * Self.submissionShape.factor(atHour: position.hour)
                * Self.weekdayFactor[position.weekday] * exp(0.25 * swing)
                * (1 + Self.trendPerDay * Double(max(0, position.day)))
            for _ in 0..<random.poisson(mean: rate * stepMinutes) {
                let duration = min(Self.longestJobMinutes, max(5, Self.medianDurationMinutes
                    * exp(Self.durationSpread * random.normal())))
                hold(gpus: jobSize(&random), fromMinute: minute + random.unit() * stepMinutes, minutes: duration)
            }
            for _ in 0..<random.poisson(mean: Self.sweepsPerDay * stepMinutes / 1_440) {
                for _ in 0..<Int(random.uniform(8, 33)) {
                    let gpus = [1.0, 2, 4][Int(random.uniform(0, 3))]
                    hold(gpus: gpus, fromMinute: minute + random.uniform(0, 30), minutes: random.uniform(20, 90))
                }
            }
        }
        var running = 0.0
        return (0..<count).map { index in
            running += change[index]
            return max(0, running)
        }
    }

    private func jobSize(_ random: inout SplitMix64) -> Double {
        var remaining = random.unit()
        for size in Self.jobSizes {
            remaining -= size.weight
            if remaining < 0 { return size.gpus }
        }
        return Self.jobSizes[Self.jobSizes.count - 1].gpus
    }
}
