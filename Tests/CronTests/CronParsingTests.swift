import Cron
import Foundation
import Testing

@Suite struct CronParsingTests {
    @Test(arguments: [
        ("0 2 * * *", "0 2 * * *"),
        ("  */15   9-17\t* * mon-fri ", "*/15 9-17 * * mon-fri"),
        ("@daily", "@daily"),
        ("@ANNUALLY", "@annually"),
        ("0 0 29 2 *", "0 0 29 2 *"),
    ])
    func acceptedExpressionsKeepTheirText(text: String, description: String) throws {
        #expect(try CronExpression(parsing: text).description == description)
    }

    @Test func macrosEqualTheirExpansionInFireTimes() throws {
        let pairs = [("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 jan *"), ("@monthly", "0 0 1 * *"),
                     ("@weekly", "0 0 * * sun"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
                     ("@hourly", "0 * * * *")]
        let utc = try zone("UTC")
        var cursor = try instant("2026-11-29T10:17:00Z")
        for (macro, expansion) in pairs {
            let macroTimes = try fireTimes(macro, after: cursor, count: 3, in: utc)
            let expandedTimes = try fireTimes(expansion, after: cursor, count: 3, in: utc)
            #expect(macroTimes == expandedTimes, "\(macro)")
            cursor = cursor.addingTimeInterval(86_400 * 17)
        }
    }

    @Test(arguments: [
        ("", "empty cron expression"),
        ("0 2 * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4 in \"0 2 * *\""),
        ("0 0 2 * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 6 in \"0 0 2 * * *\""),
        ("60 * * * *", "minute field \"60\": 60 is out of range 0-59"),
        ("0 24 * * *", "hour field \"24\": 24 is out of range 0-23"),
        ("0 0 0 * *", "day-of-month field \"0\": 0 is out of range 1-31"),
        ("0 0 32 * *", "day-of-month field \"32\": 32 is out of range 1-31"),
        ("0 0 * 13 *", "month field \"13\": 13 is out of range 1-12 or jan-dec"),
        ("0 0 * * 8", "day-of-week field \"8\": 8 is out of range 0-7 or sun-sat"),
        ("0 0 * * mon-frx", "day-of-week field \"mon-frx\": unknown name \"frx\" (expected 0-7 or sun-sat)"),
        ("0 0 * foo *", "month field \"foo\": unknown name \"foo\" (expected 1-12 or jan-dec)"),
        ("x * * * *", "minute field \"x\": \"x\" is not a number (expected 0-59)"),
        ("0 mon * * *", "hour field \"mon\": \"mon\" is not a number (expected 0-23)"),
        ("*/0 * * * *", "minute field \"*/0\": step \"0\" in \"*/0\" must be at least 1"),
        ("*/x * * * *", "minute field \"*/x\": step \"x\" in \"*/x\" is not a positive integer"),
        ("*/ * * * *", "minute field \"*/\": step \"\" in \"*/\" is not a positive integer"),
        ("1/2/3 * * * *", "minute field \"1/2/3\": too many \"/\" in \"1/2/3\""),
        ("1-2-3 * * * *", "minute field \"1-2-3\": too many \"-\" in \"1-2-3\""),
        ("30-10 * * * *", "minute field \"30-10\": range \"30-10\" starts after it ends (30 > 10)"),
        ("0 0 * * sat-mon", "day-of-week field \"sat-mon\": range \"sat-mon\" starts after it ends (6 > 1)"),
        ("1,,2 * * * *", "minute field \"1,,2\": empty list item"),
        ("5- * * * *", "minute field \"5-\": missing value in range"),
        ("-5 * * * *", "minute field \"-5\": missing value in range"),
        ("0 0 30 2 *", "day-of-month field \"30\": never occurs in the months of month field \"2\", so the expression would never fire"),
        ("0 0 31 apr,jun *", "day-of-month field \"31\": never occurs in the months of month field \"apr,jun\", so the expression would never fire"),
        ("@every 1h", "\"@every 1h\" is not supported: a schedule needs calendar times; use five fields or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"),
        ("@reboot", "\"@reboot\" is not supported: a schedule needs calendar times; use five fields or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"),
        ("@nightly", "unknown macro \"@nightly\"; expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"),
        ("CRON_TZ=Europe/Berlin 0 2 * * *", "time zone prefix in \"CRON_TZ=Europe/Berlin 0 2 * * *\" is not allowed; give the time zone separately (timeZone)"),
        ("TZ=UTC 0 2 * * *", "time zone prefix in \"TZ=UTC 0 2 * * *\" is not allowed; give the time zone separately (timeZone)"),
    ])
    func rejectedExpressionsSayWhichFieldAndToken(text: String, message: String) {
        #expect(throws: CronParseError(message: message)) { try CronExpression(parsing: text) }
    }

    @Test func errorDescriptionIsTheMessage() {
        let error = CronParseError(message: "hour field \"24\": 24 is out of range 0-23")
        #expect(error.description == error.message)
    }

    @Test func thirtiethOfFebruaryIsAcceptedWhenAnotherMonthHasIt() throws {
        // 0 0 30 2,3 * fires on March 30; 0 0 30 2 mon fires on Mondays (OR semantics).
        #expect(throws: Never.self) { try CronExpression(parsing: "0 0 30 2,3 *") }
        #expect(throws: Never.self) { try CronExpression(parsing: "0 0 30 2 mon") }
    }
}

/// The first `count` fire times after `start`.
func fireTimes(_ text: String, after start: Date, count: Int, in timeZone: TimeZone) throws -> [Date] {
    let expression = try CronExpression(parsing: text)
    var result: [Date] = []
    var cursor = start
    while result.count < count, let next = expression.nextFireTime(after: cursor, in: timeZone) {
        result.append(next)
        cursor = next
    }
    return result
}
