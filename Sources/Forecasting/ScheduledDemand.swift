import Cron
import Foundation

/// Demand known in advance: windows (recurring, from cron and a time zone, or one-off, from a date)
/// during which the pool's capacity is set by more than the learned baseline, such as a nightly
/// retraining job. A schedule is exact and may start before any history shows it, so it is applied
/// on top of the learned forecast rather than learned. Declared in the pool's spec or discovered
/// from the cluster (a CronJob), it goes through the same path either way.
public struct ScheduledDemand: Sendable, Hashable {
    public var name: String
    public var timing: WindowTiming
    public var mode: Mode
    /// `add`: GPUs added on top of the baseline; `floor`: GPUs the window needs at least. Unused by `cap`.
    public var gpus: Double
    /// `cap`: most nodes the pool may hold while the window is open (0 scales an idle pool to zero).
    public var capNodes: Int

    /// What a window does to the pool while it is open.
    public enum Mode: String, Sendable, Hashable, CaseIterable, Codable {
        /// `gpus` more GPUs on top of the learned forecast (a retraining run).
        case add = "Add"
        /// At least `gpus` GPUs, whatever the forecast says (a launch, an evaluation day).
        case floor = "Floor"
        /// At most `capNodes` nodes, winning over the warm pool and the minimum but never over busy
        /// nodes (off-hours, a freeze): capacity stops growing and idle nodes go.
        case cap = "Cap"
    }

    public init(name: String, timing: WindowTiming, mode: Mode = .add, gpus: Double = 0, capNodes: Int = 0) {
        self.name = name
        self.timing = timing
        self.mode = mode
        self.gpus = gpus
        self.capNodes = max(0, capNodes)
    }

    /// A recurring window that adds `gpus`: the original, and still the most common, schedule.
    public init(name: String, window: RecurringWindow, gpus: Double) {
        self.init(name: name, timing: .recurring(window), mode: .add, gpus: gpus)
    }

    /// GPUs this schedule adds or guarantees, made safe: non-finite or negative values count as none.
    var safeGPUs: Double { gpus.isFinite ? max(gpus, 0) : 0 }

    /// This schedule's windows overlapping `interval`, as the planner and reports see them, in start order.
    public func scheduledWindows(overlapping interval: DateInterval) -> [ScheduledWindow] {
        timing.windows(overlapping: interval).filter { $0.duration > 0 }.map(window(for:))
    }

    /// The window open at `instant`, or else the next to open; nil when there is none (a one-off window
    /// that is over).
    public func nextScheduledWindow(endingAfter instant: Date) -> ScheduledWindow? {
        timing.nextWindow(endingAfter: instant).map(window(for:))
    }

    private func window(for interval: DateInterval) -> ScheduledWindow {
        ScheduledWindow(name: name, start: interval.start, end: interval.end, gpus: mode == .cap ? 0 : safeGPUs,
                        mode: mode, capNodes: mode == .cap ? capNodes : nil)
    }
}

extension Array where Element == ScheduledDemand {
    /// Every window of these schedules overlapping `interval`, in start order.
    public func scheduledWindows(overlapping interval: DateInterval) -> [ScheduledWindow] {
        flatMap { $0.scheduledWindows(overlapping: interval) }.sorted { ($0.start, $0.name) < ($1.start, $1.name) }
    }

    /// Applies every schedule to each point whose bin overlaps one of its windows — `add` adds its GPUs
    /// to mean and upper, `floor` raises both to its GPUs, `cap` leaves demand alone (it limits nodes,
    /// which the planner applies) — and returns the windows (as declared, not clipped) in start order.
    /// Overlapping windows of one schedule (a fall-back night fires a cron twice, as a CronJob does)
    /// apply it once: the schedule declares a level while it is active, not per firing. Adds come
    /// before floors, so a floor is a floor under the total.
    func addDemand(to points: inout [ForecastPoint], step: TimeInterval) -> [ScheduledWindow] {
        guard let first = points.first, let last = points.last else { return [] }
        let horizon = DateInterval(start: first.start, end: last.start.addingTimeInterval(step))
        var windows = [ScheduledWindow]()
        for schedule in sorted(by: { ($0.mode == .floor ? 1 : 0) < ($1.mode == .floor ? 1 : 0) }) {
            let gpus = schedule.safeGPUs
            var active = [Bool](repeating: false, count: points.count)
            for window in schedule.scheduledWindows(overlapping: horizon) {
                windows.append(window)
                for index in points.indices {
                    let binEnd = points[index].start.addingTimeInterval(step)
                    if points[index].start < window.end, binEnd > window.start { active[index] = true }
                }
            }
            for index in points.indices where active[index] {
                switch schedule.mode {
                case .add:
                    points[index].mean += gpus
                    points[index].upper += gpus
                case .floor:
                    points[index].mean = Swift.max(points[index].mean, gpus)
                    points[index].upper = Swift.max(points[index].upper, gpus)
                case .cap:
                    break
                }
            }
        }
        return windows.sorted { ($0.start, $0.name) < ($1.start, $1.name) }
    }
}

extension PeakSeries {
    /// Takes `add` schedules' GPUs out of the bins their past windows overlapped (never below zero),
    /// so the baseline is learned without them and they are not counted twice when they are added back on
    /// top of the forecast. Subtracting rather than dropping those bins keeps every phase of the day
    /// learnable even when a schedule runs at the same time every day. Floors and caps are left in:
    /// demand seen under them was the pool's own.
    mutating func removeScheduledDemand(_ schedules: [ScheduledDemand]) {
        guard !schedules.isEmpty, !values.isEmpty else { return }
        let start = Date(timeIntervalSince1970: Double(firstBin) * step)
        let span = DateInterval(start: start, duration: Double(values.count) * step)
        for schedule in schedules where schedule.mode == .add {
            let gpus = schedule.safeGPUs
            guard gpus > 0 else { continue }
            var active = [Bool](repeating: false, count: values.count)
            for window in schedule.timing.windows(overlapping: span) where window.duration > 0 {
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
