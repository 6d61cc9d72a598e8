import Cron
import Foundation

/// The `Date` response header (RFC 9110 §5.6.7, IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`), formatted
/// with `CivilDate`'s integer arithmetic.
///
/// Why not Foundation: a `Calendar`, even a Gregorian one in GMT, starts from the process's current time
/// zone, which with FoundationInternationalization linked is opened through ICU — the time-zone code and
/// data the idle operator otherwise never touches (docs/benchmarks.md, "Lean operator binary").
enum HTTPDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `date` as IMF-fixdate, to the second (the fraction is dropped, as HTTP dates have none).
    static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let civil = CivilDate(ordinal: days)
        let weekday = floorDivision(days + 4, 7).1   // 1970-01-01 was a Thursday
        return weekdays[weekday] + ", " + padded(civil.day, 2) + " " + months[civil.month - 1] + " " + padded(civil.year, 4) + " "
            + padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay % 3600 / 60, 2) + ":" + padded(secondOfDay % 60, 2) + " GMT"
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (Int, Int) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
