/// Go's `time.ParseDuration`, transcribed so Fleetcast accepts exactly the strings Kubernetes accepts.
enum GoDurationParser {
    private static let units: [String: UInt64] = [
        "ns": 1,
        "us": 1_000,
        "µs": 1_000, // U+00B5 micro sign
        "μs": 1_000, // U+03BC Greek mu
        "ms": 1_000_000,
        "s": 1_000_000_000,
        "m": 60_000_000_000,
        "h": 3_600_000_000_000,
    ]

    static func parse(_ original: String) throws(DurationParseError) -> Int64 {
        let quoted = "\"\(original)\""
        var rest = Substring(original)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        if rest.isEmpty { throw DurationParseError(message: "time: invalid duration \(quoted)") }

        var total: UInt64 = 0
        while !rest.isEmpty {
            guard let first = rest.first, first == "." || first.isASCIIDigit else {
                throw DurationParseError(message: "time: invalid duration \(quoted)")
            }
            // The integer part.
            let integerDigits = rest.prefix { $0.isASCIIDigit }
            rest = rest.dropFirst(integerDigits.count)
            guard let whole = integerDigits.isEmpty ? 0 : UInt64(integerDigits) else {
                throw DurationParseError(message: "time: invalid duration \(quoted)")
            }
            // The fraction, kept as digits scaled by a power of ten (Go's leadingFraction).
            var fraction: UInt64 = 0
            var scale: Double = 1
            var fractionDigits = 0
            if rest.first == "." {
                rest = rest.dropFirst()
                let digits = rest.prefix { $0.isASCIIDigit }
                rest = rest.dropFirst(digits.count)
                fractionDigits = digits.count
                for digit in digits {
                    guard fraction <= (UInt64.max - 9) / 10 else { continue } // further digits are below precision
                    fraction = fraction * 10 + UInt64(digit.wholeNumberValue ?? 0)
                    scale *= 10
                }
            }
            if integerDigits.isEmpty && fractionDigits == 0 {
                throw DurationParseError(message: "time: invalid duration \(quoted)")
            }
            let unitText = rest.prefix { $0 != "." && !$0.isASCIIDigit }
            rest = rest.dropFirst(unitText.count)
            if unitText.isEmpty {
                throw DurationParseError(message: "time: missing unit in duration \(quoted)")
            }
            guard let unit = units[String(unitText)] else {
                throw DurationParseError(message: "time: unknown unit \"\(unitText)\" in duration \(quoted)")
            }
            let (scaledWhole, overflow) = whole.multipliedReportingOverflow(by: unit)
            guard !overflow else { throw DurationParseError(message: "time: invalid duration \(quoted)") }
            var value = scaledWhole
            if fraction > 0 {
                value += UInt64(Double(fraction) * (Double(unit) / scale))
            }
            let (sum, sumOverflow) = total.addingReportingOverflow(value)
            guard !sumOverflow, sum <= UInt64(Int64.max) + (negative ? 1 : 0) else {
                throw DurationParseError(message: "time: invalid duration \(quoted)")
            }
            total = sum
        }
        if negative {
            return total == UInt64(Int64.max) + 1 ? Int64.min : -Int64(total)
        }
        return Int64(total)
    }
}

/// Go's `time.Duration.String()`.
enum GoDurationFormat {
    static func format(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        var u = nanoseconds.magnitude
        var text: String
        if u < 1_000_000_000 {
            // Sub-second: the largest unit that keeps a leading non-zero digit.
            let (precision, unit): (Int, String) =
                u < 1_000 ? (0, "ns") : u < 1_000_000 ? (3, "µs") : (6, "ms")
            let divisor = power(10, precision)
            text = digits(u / divisor) + fractionText(u % divisor, precision: precision) + unit
        } else {
            let secondsFraction = fractionText(u % 1_000_000_000, precision: 9)
            u /= 1_000_000_000
            text = digits(u % 60) + secondsFraction + "s"
            u /= 60
            if u > 0 {
                text = digits(u % 60) + "m" + text
                u /= 60
                if u > 0 {
                    text = digits(u) + "h" + text
                }
            }
        }
        return negative ? "-" + text : text
    }

    /// `.5`, `.25`, or nothing: the fraction with trailing zeros removed, as Go's fmtFrac prints it.
    private static func fractionText(_ value: UInt64, precision: Int) -> String {
        guard value > 0, precision > 0 else { return "" }
        var padded = String(value)
        padded = String(repeating: "0", count: precision - padded.count) + padded
        while padded.hasSuffix("0") { padded.removeLast() }
        return "." + padded
    }

    private static func digits(_ value: UInt64) -> String { String(value) }

    private static func power(_ base: UInt64, _ exponent: Int) -> UInt64 {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
