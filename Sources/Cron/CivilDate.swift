/// A proleptic Gregorian calendar day, computed with integer arithmetic only.
///
/// Fire-time search runs on a "wall clock" timeline — local date and time written as if it were UTC — so
/// that fields can be matched and jumped without a time-zone lookup per step. The conversions are
/// Howard Hinnant's `days_from_civil` / `civil_from_days`, exact for any year. Public because Kubernetes
/// timestamps (`KubeTime`) use the same arithmetic rather than Foundation's per-call ICU calendars.
public struct CivilDate: Sendable, Hashable {
    public private(set) var year: Int
    public private(set) var month: Int
    public private(set) var day: Int
    /// Days since 1970-01-01.
    public private(set) var ordinal: Int

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public var weekday: Int {
        let remainder = (ordinal + 4) % 7
        return remainder < 0 ? remainder + 7 : remainder
    }

    public init(ordinal: Int) {
        let shifted = ordinal + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.ordinal = ordinal
    }

    /// The first day of `month` in `year`.
    init(year: Int, firstOfMonth month: Int) {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        self.init(ordinal: era * 146_097 + dayOfEra - 719_468)
    }

    /// The `day`th of `month` in `year`, or nil when that month has no such day (the 30th of February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1 else { return nil }
        let date = CivilDate(ordinal: CivilDate(year: year, firstOfMonth: month).ordinal + day - 1)
        guard date.month == month else { return nil }
        self = date
    }

    /// The next calendar day.
    var next: CivilDate { CivilDate(ordinal: ordinal + 1) }
}

/// Integer division rounding towards negative infinity.
func floorDivide(_ numerator: Int, _ denominator: Int) -> Int {
    let quotient = numerator / denominator
    return (numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? quotient - 1 : quotient
}
