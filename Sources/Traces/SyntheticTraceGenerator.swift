import Cron
import Foundation
import Sampling

extension SyntheticTraceConfiguration {
    /// Generates the trace: the profile's demand plus every schedule's GPUs while its windows are open,
    /// one sample per `step` over `days` days, values rounded to hundredths (so writing and re-reading the
    /// CSV gives the same series). `nil` when `days` < 1 or `step` does not divide a day.
    public func generate() -> DemandSeries? {
        guard days >= 1, step >= 1, step.isFinite, (86_400 / step).rounded() == 86_400 / step else { return nil }
        let count = days * Int(86_400 / step)
        // The weekday of origin's local date for any zone from UTC−12 to UTC+12.
        let originDay = Int(((origin.timeIntervalSince1970 + 43_200) / 86_400).rounded(.down))
        let clock = TraceClock(step: step, firstWeekday: ((originDay + 4) % 7 + 7) % 7)

        var values: [Double]
        switch profile {
        case .inferenceDiurnal:
            var random = SplitMix64(seed: seed)
            values = InferenceDiurnalModel().values(count: count, clock: clock, random: &random)
        case .trainingCluster:
            var random = SplitMix64(seed: seed)
            values = TrainingClusterModel().values(count: count, clock: clock, random: &random)
        case .mixed:
            var inferenceRandom = SplitMix64(seed: seed)
            var trainingRandom = SplitMix64(seed: seed ^ 0x5DEE_CE66_D1CE_5EED)
            let inference = InferenceDiurnalModel(level: 80).values(count: count, clock: clock,
                                                                    random: &inferenceRandom)
            let training = TrainingClusterModel(level: 180).values(count: count, clock: clock,
                                                                   random: &trainingRandom)
            values = zip(inference, training).map(+)
        }

        let span = DateInterval(start: origin, duration: Double(count) * step)
        for schedule in schedules {
            for window in schedule.window.windows(overlapping: span) {
                let from = window.start.timeIntervalSince(origin)
                let first = max(0, Int((from / step).rounded(.up)))
                let pastLast = min(count, Int(((from + window.duration) / step).rounded(.up)))
                for index in first..<max(first, pastLast) { values[index] += schedule.gpus }
            }
        }
        let rounded = values.map { ($0 * 100).rounded() / 100 }
        return DemandSeries(start: 0, step: step, gpus: rounded)
    }
}
