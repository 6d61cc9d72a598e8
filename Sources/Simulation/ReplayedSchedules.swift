import Cron
import Forecasting
import Foundation

/// A discovered schedule whose window length changes during a replay, as a CronJob's does in the
/// operator when its runs complete: each `DurationChange` applies from its instant until the next.
/// The changes come from the one learning rule the operator uses (`LearnedScheduleDuration.timeline`),
/// computed by the driver; the simulator only replays them.
public struct ReplayedSchedule: Sendable, Hashable {
    /// The schedule with its prior duration (as before any run).
    public var schedule: ScheduledDemand
    /// In time order, the first from `Date.distantPast`.
    public var durations: [DurationChange]

    public struct DurationChange: Sendable, Hashable {
        public var from: Date
        public var seconds: TimeInterval

        public init(from: Date, seconds: TimeInterval) {
            self.from = from
            self.seconds = seconds
        }
    }

    public init(schedule: ScheduledDemand, durations: [DurationChange]) {
        self.schedule = schedule
        self.durations = durations.isEmpty ? [DurationChange(from: .distantPast, seconds: schedule.timing.duration)] : durations
    }

    /// The schedule as known at `instant`: its windows last the duration learned by then.
    public func schedule(at instant: Date) -> ScheduledDemand {
        let current = durations.last { $0.from <= instant } ?? durations[0]
        return schedule.lasting(current.seconds)
    }

    /// Its windows overlapping `interval` as they were open over time: at each instant a window that
    /// opened at `f` is open while the instant is before `f` + the duration known at that instant. A
    /// window that a completed run lengthens is split at the change, so `scheduled` sees exactly that.
    public func scheduledWindows(overlapping interval: DateInterval) -> [ScheduledWindow] {
        var windows: [ScheduledWindow] = []
        for (index, change) in durations.enumerated() {
            let pieceEnd = index + 1 < durations.count ? durations[index + 1].from : .distantFuture
            let start = max(change.from, interval.start), end = min(pieceEnd, interval.end)
            guard start < end else { continue }
            for window in schedule.lasting(change.seconds).scheduledWindows(overlapping: DateInterval(start: start, end: end)) {
                var clipped = window
                clipped.start = max(window.start, change.from)
                clipped.end = min(window.end, pieceEnd)
                if clipped.start < clipped.end { windows.append(clipped) }
            }
        }
        return windows
    }
}

extension ScheduledDemand {
    /// The same schedule with windows of `seconds`.
    func lasting(_ seconds: TimeInterval) -> ScheduledDemand {
        var copy = self
        switch timing {
        case .recurring(let window):
            copy.timing = .recurring(RecurringWindow(expression: window.expression, timeZone: window.timeZone, duration: seconds))
        case .once(let window):
            copy.timing = .once(DateInterval(start: window.start, duration: max(0, seconds)))
        }
        return copy
    }
}

/// The production forecast path (`LearnedForecasts`) with discovered schedules whose durations are
/// learned as the replay goes: before each forecast, the configuration's schedules named in `replayed`
/// take the duration known at that instant, and a changed configuration is adopted exactly as the
/// operator adopts it when a CronJob's learned duration changes (`LearnedForecasts.reconfigure`: the
/// history is kept and the next forecast refits).
public struct ReplayedScheduleForecasts: ForecastSource {
    public private(set) var learned: LearnedForecasts
    private let base: ForecastConfiguration
    private let replayed: [String: ReplayedSchedule]

    public init(configuration: ForecastConfiguration, replayed: [ReplayedSchedule], refitInterval: TimeInterval? = nil) {
        base = configuration
        self.replayed = Dictionary(replayed.map { ($0.schedule.name, $0) }, uniquingKeysWith: { first, _ in first })
        learned = LearnedForecasts(configuration: configuration, refitInterval: refitInterval)
    }

    /// The forecast configuration as the operator would hold it at `instant`.
    public func configuration(at instant: Date) -> ForecastConfiguration {
        var configuration = base
        configuration.schedules = base.schedules.map { replayed[$0.name]?.schedule(at: instant) ?? $0 }
        return configuration
    }

    public mutating func record(gpus: Double, at instant: Date) {
        learned.record(gpus: gpus, at: instant)
    }

    public mutating func advance(to instant: Date) {
        learned.advance(to: instant)
    }

    public mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast? {
        learned.reconfigure(configuration(at: now))
        return learned.forecast(at: now, horizon: horizon)
    }
}
