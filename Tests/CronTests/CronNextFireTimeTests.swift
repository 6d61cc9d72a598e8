import Cron
import Foundation
import Testing

/// Fire times in UTC, where wall clock and instants coincide. 2026-11-29 is a Sunday.
@Suite struct CronNextFireTimeTests {
    @Test(arguments: [
        // expression, after, expected next fire times
        ("*/15 * * * *", "2026-11-29T10:07:00Z", ["2026-11-29T10:15:00Z", "2026-11-29T10:30:00Z"]),
        ("*/15 * * * *", "2026-11-29T10:15:00Z", ["2026-11-29T10:30:00Z"]),           // strictly after
        ("*/15 * * * *", "2026-11-29T10:14:59.5Z", ["2026-11-29T10:15:00Z"]),
        ("10-50/20 * * * *", "2026-11-29T10:30:00Z", ["2026-11-29T10:50:00Z", "2026-11-29T11:10:00Z"]),
        ("5/20 * * * *", "2026-11-29T10:00:00Z", ["2026-11-29T10:05:00Z", "2026-11-29T10:25:00Z",
                                                 "2026-11-29T10:45:00Z", "2026-11-29T11:05:00Z"]),
        ("0,30 8-9 * * *", "2026-11-29T09:30:00Z", ["2026-11-30T08:00:00Z", "2026-11-30T08:30:00Z"]),
        ("0 22-23/1,1 * * *", "2026-11-29T21:00:00Z", ["2026-11-29T22:00:00Z", "2026-11-29T23:00:00Z",
                                                      "2026-11-30T01:00:00Z"]),
        ("0 9 * * mon-fri", "2026-11-27T09:00:00Z", ["2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z"]),
        ("0 9 * * MON-Fri", "2026-12-04T10:00:00Z", ["2026-12-07T09:00:00Z"]),
        ("0 0 * * 7", "2026-11-29T00:00:00Z", ["2026-12-06T00:00:00Z"]),                  // 7 is Sunday
        ("0 0 * * 0", "2026-11-29T00:00:00Z", ["2026-12-06T00:00:00Z"]),
        ("0 0 * * 5-7", "2026-11-29T00:00:00Z", ["2026-12-04T00:00:00Z", "2026-12-05T00:00:00Z",
                                                "2026-12-06T00:00:00Z"]),
        ("0 0 * * mon-sun", "2026-11-29T00:00:00Z", ["2026-11-30T00:00:00Z"]),
        ("0 0 * * fri-sun", "2026-11-29T00:00:00Z", ["2026-12-04T00:00:00Z", "2026-12-05T00:00:00Z",
                                                    "2026-12-06T00:00:00Z", "2026-12-11T00:00:00Z"]),
        ("0 0 * * sun-sun", "2026-11-29T00:00:00Z", ["2026-12-06T00:00:00Z"]),
        ("0 0 * * */2", "2026-11-29T00:00:00Z", ["2026-12-01T00:00:00Z", "2026-12-03T00:00:00Z"]),
        ("0 12 * JAN,Jul *", "2026-11-29T00:00:00Z", ["2027-01-01T12:00:00Z"]),
        ("0 12 1 jul-aug/1 *", "2026-11-29T00:00:00Z", ["2027-07-01T12:00:00Z", "2027-08-01T12:00:00Z",
                                                       "2028-07-01T12:00:00Z"]),
        ("0 0 29 2 *", "2026-11-29T00:00:00Z", ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"]),
        ("0 0 29 2 *", "2096-03-01T00:00:00Z", ["2104-02-29T00:00:00Z"]),                 // 2100 is no leap year
        ("0 0 31 * *", "2026-11-29T00:00:00Z", ["2026-12-31T00:00:00Z", "2027-01-31T00:00:00Z",
                                               "2027-03-31T00:00:00Z"]),
        // Day-of-month and day-of-week both restricted: OR (every 13th and every Friday).
        ("0 0 13 * 5", "2026-11-29T00:00:00Z", ["2026-12-04T00:00:00Z", "2026-12-11T00:00:00Z",
                                               "2026-12-13T00:00:00Z", "2026-12-18T00:00:00Z"]),
        // `*/2` is not a star (robfig/cron v3, Kubernetes): OR with Friday.
        ("0 0 */2 * 5", "2026-11-29T00:00:00Z", ["2026-12-01T00:00:00Z", "2026-12-03T00:00:00Z",
                                                "2026-12-04T00:00:00Z", "2026-12-05T00:00:00Z"]),
        // One field `*`: AND (Fridays only; `*` days, restricted weekday).
        ("0 0 * * fri", "2026-11-29T00:00:00Z", ["2026-12-04T00:00:00Z"]),
        ("0 0 ? * fri", "2026-11-29T00:00:00Z", ["2026-12-04T00:00:00Z"]),
        ("@yearly", "2026-11-29T00:00:00Z", ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"]),
        ("@monthly", "2026-11-29T00:00:00Z", ["2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"]),
        ("@weekly", "2026-11-29T00:00:00Z", ["2026-12-06T00:00:00Z"]),
        ("@daily", "2026-12-31T23:59:59Z", ["2027-01-01T00:00:00Z"]),
        ("@hourly", "2026-11-29T10:00:00Z", ["2026-11-29T11:00:00Z"]),
        ("59 23 31 12 *", "2026-12-31T23:59:00Z", ["2027-12-31T23:59:00Z"]),
        ("* * * * *", "1969-12-31T23:59:30Z", ["1970-01-01T00:00:00Z", "1970-01-01T00:01:00Z"]),
    ])
    func nextFireTimesInUTC(expression: String, after: String, expected: [String]) throws {
        let utc = try zone("UTC")
        let actual = try fireTimes(expression, after: instant(after), count: expected.count, in: utc)
        #expect(actual == (try expected.map(instant)), "\(expression) after \(after)")
    }

    @Test func fixedOffsetZoneShiftsWallClock() throws {
        let tokyo = try zone("Asia/Tokyo")
        let actual = try fireTimes("0 9 * * *", after: instant("2026-11-29T00:00:00Z"), count: 2, in: tokyo)
        #expect(actual == (try ["2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z"].map(instant)))
    }

    @Test func farFutureInstantsGiveNoFireTimeInsteadOfTrapping() throws {
        let expression = try CronExpression(parsing: "* * * * *")
        #expect(expression.nextFireTime(after: Date(timeIntervalSince1970: 1e300), in: try zone("UTC")) == nil)
        #expect(expression.nextFireTime(after: Date(timeIntervalSince1970: .infinity), in: try zone("UTC")) == nil)
    }
}
