/// The five positions of a cron expression, with the values and names each accepts.
///
/// Bounds and names follow Vixie cron and robfig/cron v3 (which Kubernetes CronJobs use); day-of-week
/// additionally accepts `7` for Sunday as Vixie cron does.
enum CronField: Int, CaseIterable, Sendable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in error messages.
    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The smallest value accepted in this field.
    var minimum: Int {
        switch self {
        case .minute, .hour, .dayOfWeek: 0
        case .dayOfMonth, .month: 1
        }
    }

    /// The largest value accepted in this field (`7` for day-of-week, folded onto Sunday).
    var maximum: Int {
        switch self {
        case .minute: 59
        case .hour: 23
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    /// Three-letter names accepted in place of numbers, lower-cased.
    var names: [String: Int] {
        switch self {
        case .month:
            ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
             "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
        case .dayOfWeek:
            ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
        case .minute, .hour, .dayOfMonth:
            [:]
        }
    }

    /// What a valid value looks like, for error messages.
    var expectation: String {
        switch self {
        case .month: "1-12 or jan-dec"
        case .dayOfWeek: "0-7 or sun-sat"
        case .minute, .hour, .dayOfMonth: "\(minimum)-\(maximum)"
        }
    }
}

/// The set of values a parsed field matches, as a bit set (bit `n` set when value `n` matches).
struct CronValueSet: Sendable, Hashable {
    var bits: UInt64

    func contains(_ value: Int) -> Bool {
        bits & (1 << UInt64(value)) != 0
    }

    /// The smallest member strictly greater than `value`, if any.
    func firstMember(after value: Int) -> Int? {
        let higher = bits & ~((UInt64(1) << UInt64(value + 1)) - 1)
        return higher == 0 ? nil : higher.trailingZeroBitCount
    }

    /// The smallest member, if any.
    var firstMember: Int? {
        bits == 0 ? nil : bits.trailingZeroBitCount
    }
}
