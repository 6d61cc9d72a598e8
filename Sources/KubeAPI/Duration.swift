/// `metav1.Duration`: a span of time written the way Go's `time.ParseDuration` reads it (`90s`, `15m`,
/// `1h30m`, `1.5h`, `300ms`). Kubernetes APIs use this syntax for every duration field, so users can copy
/// values between Fleetcast and the rest of their manifests.
///
/// The value is kept as integer nanoseconds, exactly like Go's `time.Duration`, so parsing and printing
/// round-trip without floating-point drift and the canonical text (`1h30m0s`) matches what the API server
/// would write back.
public struct KubeDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// Rounds to the nearest nanosecond; values beyond ±292 years saturate, NaN is zero.
    public init(seconds: Double) {
        let scaled = (seconds * 1e9).rounded()
        if scaled.isNaN {
            nanoseconds = 0
        } else if scaled >= Double(Int64.max) {
            nanoseconds = .max
        } else if scaled <= Double(Int64.min) {
            nanoseconds = .min
        } else {
            nanoseconds = Int64(scaled)
        }
    }

    public static func minutes(_ value: Int64) -> KubeDuration { KubeDuration(nanoseconds: value * 60_000_000_000) }
    public static func hours(_ value: Int64) -> KubeDuration { KubeDuration(nanoseconds: value * 3_600_000_000_000) }
    public static let zero = KubeDuration(nanoseconds: 0)

    /// The duration in seconds, the unit the pure core computes in (`TimeInterval`).
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (lhs: KubeDuration, rhs: KubeDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Go's `time.Duration.String()`: `0s`, `300ms`, `1.5s`, `1m30s`, `1h30m0s`.
    public var description: String { GoDurationFormat.format(nanoseconds) }
}

/// Why a duration string was rejected, worded like Go's `time.ParseDuration` errors.
public struct DurationParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension KubeDuration {
    /// Parses Go duration syntax: an optional sign, then one or more decimal numbers each followed by a
    /// unit (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`); a bare `0` is allowed. Whether negative or zero
    /// durations make sense is for the field's validation to decide.
    public init(parsing text: String) throws(DurationParseError) {
        nanoseconds = try GoDurationParser.parse(text)
    }
}

extension KubeDuration: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
