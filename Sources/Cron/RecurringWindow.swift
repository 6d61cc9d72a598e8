import Foundation

/// A window of fixed length that opens at every fire time of a cron expression in a time zone, such as
/// a nightly retraining job: `0 2 * * *` in Europe/Berlin for 3 hours.
///
/// Windows are half-open, `[start, start + duration)`, and may overlap one another when the duration is
/// longer than the gap between fire times.
public struct RecurringWindow: Sendable, Hashable {
    public let expression: CronExpression
    public let timeZone: TimeZone
    /// Length of each window in seconds; negative values are treated as zero.
    public let duration: TimeInterval

    public init(expression: CronExpression, timeZone: TimeZone, duration: TimeInterval) {
        self.expression = expression
        self.timeZone = timeZone
        self.duration = max(0, duration)
    }

    /// Every window that shares time with `interval`, in start order — including one that opened before
    /// the interval and is still open at its start. For an empty interval, the windows containing its
    /// instant.
    public func windows(overlapping interval: DateInterval) -> [DateInterval] {
        var result: [DateInterval] = []
        var cursor = interval.start.addingTimeInterval(-duration)
        while let start = expression.nextFireTime(after: cursor, in: timeZone) {
            let overlaps = interval.duration > 0 ? start < interval.end : start <= interval.start
            guard overlaps else { break }
            result.append(DateInterval(start: start, duration: duration))
            cursor = start
        }
        return result
    }

    /// The window open at `instant` (the earliest-started one if several are), or else the next to open.
    /// A window ending exactly at `instant` is over.
    public func nextWindow(endingAfter instant: Date) -> DateInterval? {
        expression.nextFireTime(after: instant.addingTimeInterval(-duration), in: timeZone)
            .map { DateInterval(start: $0, duration: duration) }
    }
}
