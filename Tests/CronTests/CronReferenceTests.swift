import Cron
import Foundation
import Testing

/// Cross-checks the field-jumping search against a plain reference: walk every minute around each DST
/// jump, ask Foundation's calendar for the local wall-clock time, and keep the minutes a hand-written
/// predicate accepts. Both must list the same instants.
@Suite struct CronReferenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        /// (minute, hour, day, month, weekday with 0 = Sunday) → fires?
        var matches: @Sendable (Int, Int, Int, Int, Int) -> Bool
        var testDescription: String { expression }
    }

    static let cases: [Case] = [
        Case(expression: "30 2 * * *") { minute, hour, _, _, _ in minute == 30 && hour == 2 },
        Case(expression: "*/7 1-3 * * *") { minute, hour, _, _, _ in minute % 7 == 0 && (1...3).contains(hour) },
        Case(expression: "0 */2 * * *") { minute, hour, _, _, _ in minute == 0 && hour % 2 == 0 },
        Case(expression: "15 0 1,25-31 * sun") { minute, hour, day, _, weekday in
            minute == 15 && hour == 0 && (day == 1 || day >= 25 || weekday == 0)
        },
        Case(expression: "45 23 * mar,oct,nov 6") { minute, hour, _, month, weekday in
            minute == 45 && hour == 23 && [3, 10, 11].contains(month) && weekday == 6
        },
    ]

    static let jumps: [(zone: String, around: String)] = [
        ("Europe/Berlin", "2026-03-29T01:00:00Z"), ("Europe/Berlin", "2026-10-25T01:00:00Z"),
        ("America/New_York", "2026-03-08T07:00:00Z"), ("America/New_York", "2026-11-01T06:00:00Z"),
        ("Australia/Lord_Howe", "2026-04-04T15:00:00Z"),   // a 30-minute fall-back
    ]

    @Test(arguments: cases)
    func agreesWithMinuteByMinuteReference(testCase: Case) throws {
        let expression = try CronExpression(parsing: testCase.expression)
        for jump in Self.jumps {
            let timeZone = try zone(jump.zone)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let start = try instant(jump.around).addingTimeInterval(-3 * 86_400)
            let end = start.addingTimeInterval(6 * 86_400)

            var expected: [Date] = []
            var minute = start.addingTimeInterval(60)
            while minute < end {
                let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: minute)
                if let m = parts.minute, let h = parts.hour, let d = parts.day, let mo = parts.month,
                   let w = parts.weekday, testCase.matches(m, h, d, mo, w - 1) {
                    expected.append(minute)
                }
                minute = minute.addingTimeInterval(60)
            }

            var actual: [Date] = []
            var cursor = start
            while let next = expression.nextFireTime(after: cursor, in: timeZone), next < end {
                actual.append(next)
                cursor = next
            }
            #expect(actual == expected, "\(testCase.expression) in \(jump.zone) around \(jump.around)")
        }
    }
}
