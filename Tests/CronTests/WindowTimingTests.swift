import Cron
import Foundation
import Testing

/// One-off and recurring windows answer the same questions (issue #21).
@Suite struct WindowTimingTests {
    static let start = Date(timeIntervalSince1970: 1_767_571_200)  // 2026-01-05T00:00:00Z
    static let once = WindowTiming.once(DateInterval(start: start.addingTimeInterval(3600), duration: 1800))

    @Test(arguments: [
        // (interval start offset, interval duration, expected number of windows)
        (0.0, 3600.0, 0),        // ends exactly when the window opens
        (0.0, 3601.0, 1),
        (5399.0, 10.0, 1),       // overlaps the window's last second
        (5400.0, 10.0, 0),       // starts when it closed
        (4000.0, 0.0, 1),        // an instant inside it
        (5400.0, 0.0, 0),        // the instant it closes
    ])
    func oneOffWindowOverlaps(offset: Double, duration: Double, expected: Int) {
        let interval = DateInterval(start: Self.start.addingTimeInterval(offset), duration: duration)
        #expect(Self.once.windows(overlapping: interval).count == expected)
    }

    @Test func nextWindowOfAOneOffIsNilOnceItIsOver() {
        #expect(Self.once.nextWindow(endingAfter: Self.start)?.start == Self.start.addingTimeInterval(3600))
        #expect(Self.once.nextWindow(endingAfter: Self.start.addingTimeInterval(4000))?.start == Self.start.addingTimeInterval(3600))
        #expect(Self.once.nextWindow(endingAfter: Self.start.addingTimeInterval(5400)) == nil)
        #expect(Self.once.duration == 1800)
    }

    @Test func recurringTimingIsItsRecurringWindow() throws {
        let window = RecurringWindow(expression: try CronExpression(parsing: "0 2 * * *"), timeZone: TimeZone(identifier: "UTC")!, duration: 3600)
        let timing = WindowTiming.recurring(window)
        let day = DateInterval(start: Self.start, duration: 86_400)
        #expect(timing.windows(overlapping: day) == window.windows(overlapping: day))
        #expect(timing.nextWindow(endingAfter: Self.start) == window.nextWindow(endingAfter: Self.start))
        #expect(timing.duration == 3600)
    }
}
