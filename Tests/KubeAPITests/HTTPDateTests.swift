import Foundation
import Testing
import KubeAPI

/// The `Date` header the operator's endpoints send, against Foundation's own formatter in the
/// IMF-fixdate pattern (RFC 9110 §5.6.7) for instants around the edges of days, months, leap years and eras.
@Suite("HTTP Date header")
struct HTTPDateTests {
    static let foundation: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }()

    @Test("RFC 9110's example")
    func rfcExample() {
        #expect(KubeTime.formatHTTP(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test("agrees with Foundation's formatter", arguments: [
        0, -1, 0.999, 59, 86_399, 86_400, 951_782_399, 951_782_400, 951_868_800,   // 1970, 2000-02-29 and 03-01
        1_709_164_800, 4_107_542_400, 4_107_456_000, 1_798_761_599.5, 1_798_761_600,   // 2024-02-29, 2100 (no leap day), 2026/2027
        -2_208_988_800, 253_402_300_799,   // 1900-01-01, 9999-12-31T23:59:59
    ] as [Double])
    func agreesWithFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(KubeTime.formatHTTP(date) == Self.foundation.string(from: date))
    }
}
