import Foundation
import KubeAPI
import Testing

@Suite("KubeTime: RFC 3339 and MicroTime without Foundation's formatters")
struct KubeTimeTests {
    /// Expected instants computed independently (`date -u -d … +%s`).
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0),
        ("2026-11-29T10:42:43Z", 1_795_948_963.0),
        ("2024-02-29T23:59:59Z", 1_709_251_199.0),
        ("2000-03-01T00:00:00Z", 951_868_800.0),
        ("1969-12-31T23:59:59Z", -1.0),
        ("2026-11-29T10:42:43.5Z", 1_795_948_963.5),
        ("2026-11-29T10:42:43.123456Z", 1_795_948_963.123456),
        ("2026-11-29T10:42:43.123456789Z", 1_795_948_963.123456789),
        ("2026-11-29T11:42:43+01:00", 1_795_948_963.0),
        ("2026-11-29T05:12:43-05:30", 1_795_948_963.0),
        ("2026-11-29t10:42:43z", 1_795_948_963.0),
    ])
    func parsesRFC3339(text: String, seconds: Double) throws {
        let date = try #require(KubeTime.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T10:42:43", "2026-11-29 10:42:43Z", "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T10:60:00Z",
        "2026-11-29T10:42:43.Z", "2026-11-29T10:42:43Z ", "2026-11-29T10:42:43+0100", "26-11-29T10:42:43Z",
        "２０２６-11-29T10:42:43Z",
    ])
    func rejectsWhatIsNotRFC3339(text: String) {
        #expect(KubeTime.parse(text) == nil)
    }

    @Test(arguments: [
        "1970-01-01T00:00:00Z", "2026-11-29T10:42:43Z", "2024-02-29T23:59:59Z", "1969-07-20T20:17:40Z",
        "2100-03-01T00:00:00Z",
    ])
    func formatsWhatItParses(text: String) throws {
        #expect(KubeTime.format(try #require(KubeTime.parse(text))) == text)
    }

    @Test(arguments: [
        "2026-11-29T10:42:43.000000Z", "2026-11-29T10:42:43.123456Z", "2026-11-29T10:42:43.999999Z",
        "2026-11-29T10:42:43.000001Z", "1969-12-31T23:59:59.500000Z",
    ])
    func formatsMicroTimeWhatItParses(text: String) throws {
        #expect(KubeTime.formatMicro(try #require(KubeTime.parse(text))) == text)
    }

    @Test func formatsTheSameAsFoundationAcrossFourCenturies() {
        let foundation = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double(Int.random(in: -6_000_000_000...8_000_000_000, using: &generator)))
            let text = foundation.string(from: date)
            #expect(KubeTime.format(date) == text)
            #expect(KubeTime.parse(text) == date)
        }
    }
}
