import Foundation
import Testing

/// Parses an ISO 8601 instant with offset, such as `2026-03-29T03:00:00+02:00`, for readable tables.
func instant(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
}

/// Looks up an IANA zone, failing the test (not trapping) when the system lacks it.
func zone(_ identifier: String) throws -> TimeZone {
    try #require(TimeZone(identifier: identifier), "time zone \(identifier) missing")
}

/// Formats an instant in `zone` with its offset, so failures read like the tables.
func local(_ date: Date?, _ zone: TimeZone) -> String {
    guard let date else { return "nil" }
    var style = Date.ISO8601FormatStyle(timeZone: zone)
    style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
    return date.formatted(style)
}
