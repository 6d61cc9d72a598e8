import Cron
import Foundation

/// Demand known in advance from the pool's spec: a recurring window (cron + time zone + duration) during
/// which `gpus` more GPUs are needed, such as a nightly retraining job. It is added on top of the learned
/// baseline rather than learned, because it is exact and may start before any history shows it.
public struct ScheduledDemand: Sendable, Hashable {
    public var name: String
    public var window: RecurringWindow
    public var gpus: Double

    public init(name: String, window: RecurringWindow, gpus: Double) {
        self.name = name
        self.window = window
        self.gpus = gpus
    }

    /// GPUs this schedule adds, made safe: non-finite or negative values add nothing.
    var safeGPUs: Double { gpus.isFinite ? max(gpus, 0) : 0 }
}

extension Array where Element == ScheduledDemand {
    /// Adds every schedule's GPUs to the mean and upper of each point whose bin overlaps one of its windows,
    /// and returns those windows (as declared, not clipped) in start order. Overlapping windows of one
    /// schedule (a fall-back night fires a cron twice, as a CronJob does) add its GPUs once: the schedule
    /// declares a level of extra demand while it is active, not per firing.
    func addDemand(to points: inout [ForecastPoint], step: TimeInterval) -> [ScheduledWindow] {
        guard let first = points.first, let last = points.last else { return [] }
        let horizon = DateInterval(start: first.start, end: last.start.addingTimeInterval(step))
        var windows = [ScheduledWindow]()
        for schedule in self {
            let gpus = schedule.safeGPUs
            var active = [Bool](repeating: false, count: points.count)
            for window in schedule.window.windows(overlapping: horizon) where window.duration > 0 {
                windows.append(ScheduledWindow(name: schedule.name, start: window.start, end: window.end, gpus: gpus))
                for index in points.indices {
                    let binEnd = points[index].start.addingTimeInterval(step)
                    if points[index].start < window.end, binEnd > window.start { active[index] = true }
                }
            }
            for index in points.indices where active[index] {
                points[index].mean += gpus
                points[index].upper += gpus
            }
        }
        return windows.sorted { ($0.start, $0.name) < ($1.start, $1.name) }
    }
}

extension PeakSeries {
    /// Takes declared schedules' GPUs out of the bins their past windows overlapped (never below zero),
    /// so the baseline is learned without them and they are not counted twice when they are added back on
    /// top of the forecast. Subtracting rather than dropping those bins keeps every phase of the day
    /// learnable even when a schedule runs at the same time every day.
    mutating func removeScheduledDemand(_ schedules: [ScheduledDemand]) {
        guard !schedules.isEmpty, !values.isEmpty else { return }
        let start = Date(timeIntervalSince1970: Double(firstBin) * step)
        let span = DateInterval(start: start, duration: Double(values.count) * step)
        for schedule in schedules {
            let gpus = schedule.safeGPUs
            guard gpus > 0 else { continue }
            var active = [Bool](repeating: false, count: values.count)
            for window in schedule.window.windows(overlapping: span) where window.duration > 0 {
                let first = max(0, Int((window.start.timeIntervalSince(start) / step).rounded(.down)))
                let last = min(values.count, Int((window.end.timeIntervalSince(start) / step).rounded(.up)))
                if last > first { for index in first..<last { active[index] = true } }
            }
            for index in values.indices where active[index] && !values[index].isNaN {
                values[index] = Swift.max(0, values[index] - gpus)
            }
        }
    }
}
