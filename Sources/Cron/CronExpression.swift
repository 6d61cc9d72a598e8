import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`) or one of the
/// `@yearly`-style macros, with the semantics Kubernetes CronJobs use (robfig/cron v3).
///
/// Day-of-month and day-of-week combine by OR when both are restricted and by AND when either is `*`,
/// as in Vixie cron; `0 0 13 * 5` fires on every 13th and on every Friday. Fire times are computed in an
/// IANA time zone by ``nextFireTime(after:in:)``; see `docs/cron.md` for what happens at DST jumps.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written, with fields separated by single spaces (macros kept as written).
    public let description: String

    let minutes: CronValueSet
    let hours: CronValueSet
    let daysOfMonth: CronValueSet
    let months: CronValueSet
    let daysOfWeek: CronValueSet
    /// True when day-of-month or day-of-week is an unrestricted `*`: days must then match both fields.
    let daysMatchBoth: Bool

    /// The macros Kubernetes accepts, with their five-field meaning.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses five whitespace-separated fields or a macro such as `@daily`.
    ///
    /// Rejected, each with a message naming the field and token: wrong field count, out-of-range values,
    /// unknown names, malformed ranges and steps, `@every` and `@reboot` (not calendar schedules), a
    /// `TZ=`/`CRON_TZ=` prefix (the time zone is passed separately), and a day-of-month that no selected
    /// month has (`0 0 30 2 *`), which would never fire.
    public init(parsing text: String) throws(CronParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CronParseError(message: "empty cron expression") }
        if trimmed.hasPrefix("TZ=") || trimmed.hasPrefix("CRON_TZ=") {
            throw CronParseError(message: "time zone prefix in \"\(trimmed)\" is not allowed; "
                + "give the time zone separately (timeZone)")
        }
        let fieldsText: String
        if trimmed.hasPrefix("@") {
            let macro = trimmed.lowercased()
            guard let expansion = Self.macros[macro] else {
                let known = "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"
                if macro.hasPrefix("@every") || macro == "@reboot" {
                    throw CronParseError(message: "\"\(trimmed)\" is not supported: a schedule needs "
                        + "calendar times; use five fields or one of \(known)")
                }
                throw CronParseError(message: "unknown macro \"\(trimmed)\"; expected one of \(known)")
            }
            fieldsText = expansion
            description = macro
        } else {
            fieldsText = trimmed
            description = trimmed.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }

        let fields = fieldsText.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw CronParseError(message: "expected 5 fields (minute hour day-of-month month day-of-week), "
                + "found \(fields.count) in \"\(trimmed)\"")
        }
        let minute = try CronField.minute.parse(fields[0])
        let hour = try CronField.hour.parse(fields[1])
        let dayOfMonth = try CronField.dayOfMonth.parse(fields[2])
        let month = try CronField.month.parse(fields[3])
        let dayOfWeek = try CronField.dayOfWeek.parse(fields[4])
        minutes = minute.values
        hours = hour.values
        daysOfMonth = dayOfMonth.values
        months = month.values
        daysOfWeek = dayOfWeek.values
        daysMatchBoth = dayOfMonth.isStar || dayOfWeek.isStar

        // With day-of-week `*` only day-of-month selects days, so it must exist in some selected month.
        if dayOfWeek.isStar,
           !(1...12).contains(where: { months.contains($0) && daysOfMonthOccur(inMonth: $0) }) {
            throw CronParseError(message: "day-of-month field \"\(fields[2])\": never occurs in the months "
                + "of month field \"\(fields[3])\", so the expression would never fire")
        }
    }

    /// Whether some selected day-of-month exists in `month` of some year (February 29 counts).
    private func daysOfMonthOccur(inMonth month: Int) -> Bool {
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...longest).contains { daysOfMonth.contains($0) }
    }

    /// Whether the calendar day matches the day-of-month and day-of-week fields.
    func matchesDay(_ date: CivilDate) -> Bool {
        let dayOfMonthMatches = daysOfMonth.contains(date.day)
        let dayOfWeekMatches = daysOfWeek.contains(date.weekday)
        return daysMatchBoth ? dayOfMonthMatches && dayOfWeekMatches : dayOfMonthMatches || dayOfWeekMatches
    }
}
