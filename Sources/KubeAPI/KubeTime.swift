import Cron
import Foundation

/// Kubernetes timestamps: RFC 3339 (`Time`, seconds) and MicroTime (fractional seconds).
///
/// Parsed and formatted by hand rather than through `ISO8601DateFormatter`: on Linux each formatter
/// builds an ICU calendar and locale, and the operator parses every node's condition times on every
/// reconcile — through Foundation that was four fifths of a reconcile's CPU time.
public enum KubeTime {
    /// Parses `2026-11-29T10:42:43Z`, with optional fractional seconds (`.123456`) and a `Z` or
    /// `±hh:mm` offset; nil when the text is not RFC 3339.
    public static func parse(_ text: String) -> Date? {
        if let parsed = text.utf8.withContiguousStorageIfAvailable(parse(bytes:)) { return parsed }
        return Array(text.utf8).withUnsafeBufferPointer(parse(bytes:))
    }

    /// `Time` form, seconds precision, UTC.
    public static func format(_ date: Date) -> String {
        CivilTime.split(date).0.text + "Z"
    }

    /// `MicroTime` form, as Leases and new-style Events use.
    public static func formatMicro(_ date: Date) -> String {
        let (civil, micros) = CivilTime.split(date)
        return civil.text + "." + padded(micros, width: 6) + "Z"
    }

    /// The HTTP `Date` header form (RFC 9110 §5.6.7, IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`), to the
    /// second (the fraction is dropped, as HTTP dates have none).
    ///
    /// The operator's endpoints send it on every response; a Foundation `Calendar`, even a Gregorian one in
    /// GMT, starts from the process's time zone, opened through ICU — code and data the idle operator
    /// otherwise never touches (docs/benchmarks.md, "Lean operator binary").
    public static func formatHTTP(_ date: Date) -> String {
        let time = CivilTime(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)))
        return httpWeekdays[time.date.weekday] + ", " + padded(time.date.day, width: 2) + " " + httpMonths[time.date.month - 1] + " "
            + padded(time.date.year, width: 4) + " " + padded(time.hour, width: 2) + ":" + padded(time.minute, width: 2) + ":"
            + padded(time.second, width: 2) + " GMT"
    }

    private static let httpWeekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let httpMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(digits: 4), reader.skip("-"),
              let month = reader.number(digits: 2), reader.skip("-"),
              let day = reader.number(digits: 2), reader.skip("T") || reader.skip("t"),
              let hour = reader.number(digits: 2), reader.skip(":"),
              let minute = reader.number(digits: 2), reader.skip(":"),
              let second = reader.number(digits: 2),
              let date = CivilDate(year: year, month: month, day: day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if reader.skip(".") {
            var nanos = 0
            var count = 0
            while let digit = reader.digit() {
                if count < 9 { nanos = nanos * 10 + digit }
                count += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { nanos *= 10 }
            fraction = Double(nanos) / 1e9
        }
        var offset = 0
        if reader.skip("Z") || reader.skip("z") {
            offset = 0
        } else if let sign = reader.sign(), let hours = reader.number(digits: 2), reader.skip(":"),
                  let minutes = reader.number(digits: 2), hours < 24, minutes < 60 {
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard reader.atEnd else { return nil }
        let seconds = date.ordinal * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    fileprivate static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Reads the fixed-width fields of an RFC 3339 timestamp.
private struct DigitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - 0x30)
    }

    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}

/// A UTC calendar date and time of day.
private struct CivilTime {
    var date: CivilDate
    var hour, minute, second: Int

    /// `date` as a civil time and its microseconds. Rounded to the nearest microsecond, so a time parsed
    /// from MicroTime text formats back to the same text despite `Double`'s binary fractions.
    static func split(_ date: Date) -> (CivilTime, micros: Int) {
        let micros = Int((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, fraction) = micros.floorDivided(by: 1_000_000)
        return (CivilTime(secondsSince1970: seconds), fraction)
    }

    /// `yyyy-MM-ddTHH:mm:ss`.
    var text: String {
        KubeTime.padded(date.year, width: 4) + "-" + KubeTime.padded(date.month, width: 2) + "-"
            + KubeTime.padded(date.day, width: 2) + "T" + KubeTime.padded(hour, width: 2) + ":"
            + KubeTime.padded(minute, width: 2) + ":" + KubeTime.padded(second, width: 2)
    }
}

private extension CivilTime {
    /// The civil time `seconds` after 1970-01-01T00:00:00Z (in an extension, so the memberwise
    /// initializer stays).
    init(secondsSince1970 seconds: Int) {
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        self.init(date: CivilDate(ordinal: days), hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60, second: secondOfDay % 60)
    }
}

private extension Int {
    /// Quotient and non-negative remainder (dates before 1970 divide toward minus infinity).
    func floorDivided(by divisor: Int) -> (Int, Int) {
        let remainder = self % divisor
        return remainder < 0 ? (self / divisor - 1, remainder + divisor) : (self / divisor, remainder)
    }
}
