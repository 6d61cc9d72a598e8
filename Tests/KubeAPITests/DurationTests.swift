import Foundation
import KubeAPI
import Testing

@Suite("KubeDuration parses and prints Go duration syntax")
struct DurationTests {
    @Test(arguments: [
        ("90s", Int64(90_000_000_000), "1m30s"),
        ("15m", 900_000_000_000, "15m0s"),
        ("1h30m", 5_400_000_000_000, "1h30m0s"),
        ("1.5h", 5_400_000_000_000, "1h30m0s"),
        ("300ms", 300_000_000, "300ms"),
        ("0", 0, "0s"),
        ("0s", 0, "0s"),
        ("336h", 1_209_600_000_000_000, "336h0m0s"),
        ("2h45m30.5s", 9_930_500_000_000, "2h45m30.5s"),
        ("1.5s", 1_500_000_000, "1.5s"),
        ("100us", 100_000, "100µs"),
        ("100µs", 100_000, "100µs"),
        ("1500ns", 1_500, "1.5µs"),
        (".5m", 30_000_000_000, "30s"),
        ("-5m", -300_000_000_000, "-5m0s"),
        ("+5m", 300_000_000_000, "5m0s"),
    ])
    func parsesAndPrintsCanonically(text: String, nanoseconds: Int64, canonical: String) throws {
        let duration = try KubeDuration(parsing: text)
        #expect(duration.nanoseconds == nanoseconds)
        #expect(duration.description == canonical)
        #expect(try KubeDuration(parsing: canonical) == duration)
    }

    @Test(arguments: [
        ("15 minutes", #"time: unknown unit " minutes" in duration "15 minutes""#),
        ("15", #"time: missing unit in duration "15""#),
        ("", #"time: invalid duration """#),
        ("m", #"time: invalid duration "m""#),
        ("1d", #"time: unknown unit "d" in duration "1d""#),
        ("-", #"time: invalid duration "-""#),
        (".s", #"time: invalid duration ".s""#),
        ("99999999999999999999h", #"time: invalid duration "99999999999999999999h""#),
        ("3000000h", #"time: invalid duration "3000000h""#),
    ])
    func rejectsWhatGoRejects(text: String, message: String) {
        #expect(throws: DurationParseError(message: message)) {
            try KubeDuration(parsing: text)
        }
    }

    @Test func secondsConvertBothWays() {
        #expect(KubeDuration(seconds: 90).description == "1m30s")
        #expect(KubeDuration.minutes(5).seconds == 300)
        #expect(KubeDuration.hours(24) < KubeDuration.hours(168))
    }

    @Test func encodesAsCanonicalJSONString() throws {
        let decoded = try JSONDecoder().decode([KubeDuration].self, from: Data(#"["1.5h","90s"]"#.utf8))
        let encoded = String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self)
        #expect(encoded == #"["1h30m0s","1m30s"]"#)
    }

    @Test func rejectsNumbersAndBadStringsWhenDecoding() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([KubeDuration].self, from: Data("[900]".utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([KubeDuration].self, from: Data(#"["15 minutes"]"#.utf8))
        }
    }
}
