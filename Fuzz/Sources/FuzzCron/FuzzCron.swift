@testable import Cron
import Foundation
import FuzzSupport

/// Cron parsing and fire times. Input: the expression on the first line, then bytes choosing a time zone,
/// an instant and a window length.
///
/// Invariants: parsing never traps; an accepted expression re-parses from its `description` to itself;
/// from any instant between 1900 and 2200 it fires within the search horizon, strictly later, on a whole
/// wall-clock minute (local mean time offsets of 1900 have seconds) whose local fields, read back through
/// Foundation's Gregorian calendar, match the expression; the windows overlapping an interval are in start
/// order and do overlap it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCron(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let text = input.line()
    guard let expression = try? CronExpression(parsing: text) else { return 0 }
    let reparsed = try? CronExpression(parsing: expression.description)
    invariant(reparsed == expression, "\"\(text)\" parsed, but its description \"\(expression.description)\" does not parse to the same expression")

    let zone = CronFuzzZones.pick(&input)
    // 1900…2200, where every accepted expression must fire; an extreme instant now and then.
    let seconds = input.bool() && input.bool()
        ? input.anyDouble()
        : Double(input.integer(in: -2_208_988_800...7_258_118_400))
    let instant = Date(timeIntervalSince1970: seconds)
    let next = expression.nextFireTime(after: instant, in: zone)
    if seconds.isFinite, abs(seconds) < 7.3e9 {
        guard let next else {
            invariant(false, "\"\(text)\" never fires after \(seconds) in \(zone.identifier)")
            return 0
        }
        invariant(next > instant, "fire time \(next) is not after \(instant)")
        invariant(next.timeIntervalSince(instant) <= CronExpression.searchHorizon, "fire time beyond the search horizon")
        let wallClock = next.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: next))
        invariant(wallClock.truncatingRemainder(dividingBy: 60) == 0, "fire time \(next) is not on a whole wall-clock minute in \(zone.identifier)")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let local = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: next)
        if let year = local.year, let month = local.month, let day = local.day, let hour = local.hour, let minute = local.minute,
           year > 1, let date = CivilDate(year: year, month: month, day: day) {
            invariant(expression.minutes.contains(minute) && expression.hours.contains(hour)
                      && expression.months.contains(month) && expression.matchesDay(date),
                      "\"\(text)\" fired at \(next) = \(year)-\(month)-\(day) \(hour):\(minute) in \(zone.identifier), which does not match")
        }
        if let after = expression.nextFireTime(after: next, in: zone) {
            invariant(after > next, "the fire time after \(next) is \(after)")
        }
    }

    if seconds.isFinite, abs(seconds) < 7.3e9 {
        let length = Double(input.integer(in: 0...21_600))
        let window = RecurringWindow(expression: expression, timeZone: zone, duration: Double(input.integer(in: -60...86_400)))
        let interval = DateInterval(start: instant, duration: length)
        let windows = window.windows(overlapping: interval)
        for (index, found) in windows.enumerated() {
            invariant(found.end >= interval.start && (interval.duration == 0 ? found.start <= interval.start : found.start < interval.end),
                      "window \(found) does not overlap \(interval)")
            if index > 0 { invariant(windows[index - 1].start < found.start, "windows out of order") }
        }
    }
    return 0
}

enum CronFuzzZones {
    /// Zones with the awkward transitions: 30- and 45-minute offsets and DST, a skipped day, a two-hour DST.
    static let identifiers = [
        "UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia",
        "America/Santiago", "Africa/Casablanca", "Pacific/Chatham", "Antarctica/Troll", "Asia/Tehran", "Europe/Dublin",
    ]

    static func pick(_ input: inout FuzzInput) -> TimeZone {
        let choice = Int(input.byte())
        if choice < identifiers.count, let zone = TimeZone(identifier: identifiers[choice]) { return zone }
        if choice >= 240 { return TimeZone(secondsFromGMT: input.integer(in: -64_800...64_800)) ?? .gmt }
        return TimeZone(identifier: identifiers[choice % identifiers.count]) ?? .gmt
    }
}
