import Foundation

/// When a schedule's windows open: at every fire time of a cron expression (`recurring`), or once, at a
/// given instant (`once`, a dated retraining run or a holiday). Both answer the same questions, so
/// the forecaster, the planner and the simulator treat a one-off window like any other.
public enum WindowTiming: Sendable, Hashable {
    case recurring(RecurringWindow)
    case once(DateInterval)

    /// Every window that shares time with `interval`, in start order — including one that opened before
    /// it and is still open. For an empty interval, the windows containing its instant.
    public func windows(overlapping interval: DateInterval) -> [DateInterval] {
        switch self {
        case .recurring(let window):
            return window.windows(overlapping: interval)
        case .once(let window):
            let overlaps = interval.duration > 0
                ? window.start < interval.end && window.end > interval.start
                : window.start <= interval.start && interval.start < window.end
            return overlaps && window.duration > 0 ? [window] : []
        }
    }

    /// The window open at `instant` (the earliest-started one), or else the next to open; nil when a
    /// one-off window is over. A window ending exactly at `instant` is over.
    public func nextWindow(endingAfter instant: Date) -> DateInterval? {
        switch self {
        case .recurring(let window): return window.nextWindow(endingAfter: instant)
        case .once(let window): return window.end > instant && window.duration > 0 ? window : nil
        }
    }

    /// Length of each window in seconds.
    public var duration: TimeInterval {
        switch self {
        case .recurring(let window): return window.duration
        case .once(let window): return window.duration
        }
    }
}
