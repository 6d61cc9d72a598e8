import Cron
import Foundation
import Testing

/// Fire times across DST jumps, following robfig/cron v3 (Kubernetes CronJobs): a local time skipped by
/// spring-forward does not fire that day; a local time repeated by fall-back fires once per offset.
///
/// 2026: Europe/Berlin springs 02:00 CET → 03:00 CEST on March 29 and falls 03:00 CEST → 02:00 CET on
/// October 25; America/New_York springs 02:00 EST → 03:00 EDT on March 8 and falls 02:00 EDT → 01:00 EST
/// on November 1.
@Suite struct CronDaylightSavingTests {
    @Test(arguments: [
        // Spring forward: 02:30 does not exist on March 29, so the daily job skips that day.
        ("Europe/Berlin", "30 2 * * *", "2026-03-28T02:30:00+01:00",
         ["2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"]),
        ("Europe/Berlin", "30 3 * * *", "2026-03-28T03:30:00+01:00",
         ["2026-03-29T03:30:00+02:00"]),
        ("Europe/Berlin", "0 * * * *", "2026-03-29T00:30:00+01:00",
         ["2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00"]),
        ("Europe/Berlin", "*/20 2 * * *", "2026-03-29T01:59:00+01:00",
         ["2026-03-30T02:00:00+02:00"]),
        ("Europe/Berlin", "0 0 * * *", "2026-03-28T00:00:00+01:00",
         ["2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"]),
        // Fall back: 02:30 happens twice on October 25, and fires both times.
        ("Europe/Berlin", "30 2 * * *", "2026-10-24T02:30:00+02:00",
         ["2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-26T02:30:00+01:00"]),
        ("Europe/Berlin", "0 * * * *", "2026-10-25T01:30:00+02:00",
         ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"]),
        ("Europe/Berlin", "*/15 * * * *", "2026-10-25T02:50:00+02:00",
         ["2026-10-25T02:00:00+01:00", "2026-10-25T02:15:00+01:00"]),
        ("Europe/Berlin", "45 2 * * *", "2026-10-25T02:10:00+01:00",     // inside the second 02:xx
         ["2026-10-25T02:45:00+01:00", "2026-10-26T02:45:00+01:00"]),
        ("Europe/Berlin", "0 2 * * *", "2026-10-24T12:00:00+02:00",
         ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-26T02:00:00+01:00"]),
        // New York, spring forward.
        ("America/New_York", "30 2 * * *", "2026-03-07T02:30:00-05:00",
         ["2026-03-09T02:30:00-04:00"]),
        ("America/New_York", "0 0 * * *", "2026-03-08T00:00:00-05:00",
         ["2026-03-09T00:00:00-04:00"]),
        ("America/New_York", "59 1 * * *", "2026-03-07T12:00:00-05:00",
         ["2026-03-08T01:59:00-05:00", "2026-03-09T01:59:00-04:00"]),
        // New York, fall back: 01:30 happens twice on November 1.
        ("America/New_York", "30 1 * * *", "2026-10-31T01:30:00-04:00",
         ["2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00"]),
        ("America/New_York", "30 2 * * *", "2026-10-31T02:30:00-04:00",
         ["2026-11-01T02:30:00-05:00", "2026-11-02T02:30:00-05:00"]),
        ("America/New_York", "0 0 * * *", "2026-11-01T00:00:00-04:00",
         ["2026-11-02T00:00:00-05:00"]),
    ])
    func fireTimesAcrossDaylightSavingJumps(zoneName: String, expression: String, after: String,
                                           expected: [String]) throws {
        let timeZone = try zone(zoneName)
        let actual = try fireTimes(expression, after: instant(after), count: expected.count, in: timeZone)
        let expectedDates = try expected.map(instant)
        #expect(actual == expectedDates,
                "\(expression) in \(zoneName): \(actual.map { local($0, timeZone) })")
    }

    /// Samoa skipped December 30, 2011 entirely (UTC-10 → UTC+14): a daily job has no run that day.
    @Test func skippedCalendarDayHasNoFireTime() throws {
        let apia = try zone("Pacific/Apia")
        let actual = try fireTimes("0 12 * * *", after: instant("2011-12-29T00:00:00-10:00"), count: 2, in: apia)
        #expect(actual == (try ["2011-12-29T12:00:00-10:00", "2011-12-31T12:00:00+14:00"].map(instant)))
    }
}
