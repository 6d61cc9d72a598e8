/// Decimal number parsing for trace cells, without allocating a `String` per cell.
///
/// Accepts `[-+]digits[.digits][e[-+]digits]` (and `.5`, `5.`); nothing else — no `nan`, `inf` or hex,
/// which `Double(String)` would take. Short numbers (≤ 15 significant digits, exponent within ±22) are
/// converted exactly with one multiplication or division by a power of ten (Clinger's fast path), which
/// rounds correctly; longer ones fall back to the standard library's correctly rounded conversion.
enum CSVNumber {
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var digitsSeen = 0
        var decimalExponent = 0
        var sawPoint = false
        while index < count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digitsSeen += 1
                if mantissa != 0 || byte != UInt8(ascii: "0") { significantDigits += 1 }
                if significantDigits <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                    if sawPoint { decimalExponent -= 1 }
                } else if !sawPoint {
                    decimalExponent += 1
                }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard digitsSeen > 0 else { return nil }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            var exponentDigits = 0
            while index < count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                exponent = min(exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")), 100_000)
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            decimalExponent += exponentNegative ? -exponent : exponent
        }
        guard index == count else { return nil }

        let magnitude: Double
        if significantDigits <= 15, abs(decimalExponent) <= 22 {
            let exact = Double(mantissa)
            magnitude = decimalExponent < 0 ? exact / powersOfTen[-decimalExponent]
                                            : exact * powersOfTen[decimalExponent]
        } else {
            guard let converted = Double(String(decoding: bytes, as: UTF8.self)) else { return nil }
            return converted.isFinite ? converted : nil
        }
        return negative ? -magnitude : magnitude
    }
}
