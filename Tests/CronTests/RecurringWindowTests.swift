import Cron
import Foundation
import Testing

@Suite struct RecurringWindowTests {
    private func nightly(_ expression: String = "0 2 * * *", zoneName: String = "Europe/Berlin",
                         hours: Double = 3) throws -> RecurringWindow {
        RecurringWindow(expression: try CronExpression(parsing: expression), timeZone: try zone(zoneName),
                        duration: hours * 3_600)
    }

    @Test(arguments: [
        // interval start, interval end, expected window starts (each 3 h long)
        ("2026-11-29T03:00:00+01:00", "2026-12-01T01:00:00+01:00",
         ["2026-11-29T02:00:00+01:00", "2026-11-30T02:00:00+01:00"]),          // first one already open
        ("2026-11-29T05:00:00+01:00", "2026-11-30T02:00:00+01:00", []),        // both ends exclusive
        ("2026-11-29T04:59:00+01:00", "2026-11-30T02:00:01+01:00",
         ["2026-11-29T02:00:00+01:00", "2026-11-30T02:00:00+01:00"]),
        ("2026-11-29T12:00:00+01:00", "2026-11-29T12:00:00+01:00", []),        // empty interval, no window
        ("2026-11-29T02:00:00+01:00", "2026-11-29T02:00:00+01:00",
         ["2026-11-29T02:00:00+01:00"]),                                         // empty interval inside one
        ("2026-10-24T12:00:00+02:00", "2026-10-26T00:00:00+01:00",
         ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00"]),          // fall back: two windows
        ("2026-03-28T12:00:00+01:00", "2026-03-30T00:00:00+02:00", []),        // spring forward: none
    ])
    func windowsOverlappingAnInterval(start: String, end: String, expected: [String]) throws {
        let window = try nightly()
        let interval = DateInterval(start: try instant(start), end: try instant(end))
        let expectedWindows = try expected.map { DateInterval(start: try instant($0), duration: 3 * 3_600) }
        #expect(window.windows(overlapping: interval) == expectedWindows)
    }

    @Test func overlappingWindowsAreAllReturnedInStartOrder() throws {
        let window = try nightly("0 * * * *", zoneName: "UTC", hours: 2.5)
        let interval = DateInterval(start: try instant("2026-11-29T10:30:00Z"), duration: 3_600)
        let starts = window.windows(overlapping: interval).map(\.start)
        // The 08:00 window ends exactly at 10:30 and so does not overlap.
        #expect(starts == (try ["2026-11-29T09:00:00Z", "2026-11-29T10:00:00Z", "2026-11-29T11:00:00Z"]
            .map(instant)))
    }

    @Test(arguments: [
        ("2026-11-29T01:00:00+01:00", "2026-11-29T02:00:00+01:00"),   // before: the next one
        ("2026-11-29T02:00:00+01:00", "2026-11-29T02:00:00+01:00"),   // at the start: the current one
        ("2026-11-29T04:59:59+01:00", "2026-11-29T02:00:00+01:00"),   // inside: the current one
        ("2026-11-29T05:00:00+01:00", "2026-11-30T02:00:00+01:00"),   // at the end: over, the next one
        ("2026-10-25T03:30:00+01:00", "2026-10-25T02:00:00+02:00"),   // fall back: first of two still open
        ("2026-10-25T04:30:00+01:00", "2026-10-25T02:00:00+01:00"),   // only the second one still open
    ])
    func nextWindowEndingAfterAnInstant(at: String, expectedStart: String) throws {
        let window = try nightly()
        let actual = window.nextWindow(endingAfter: try instant(at))
        #expect(actual == DateInterval(start: try instant(expectedStart), duration: 3 * 3_600))
    }

    @Test func negativeDurationIsTreatedAsZero() throws {
        let window = RecurringWindow(expression: try CronExpression(parsing: "@daily"), timeZone: try zone("UTC"),
                                     duration: -60)
        #expect(window.duration == 0)
        #expect(window.nextWindow(endingAfter: try instant("2026-11-29T00:00:00Z"))
                == DateInterval(start: try instant("2026-11-30T00:00:00Z"), duration: 0))
    }
}
