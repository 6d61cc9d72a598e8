/// The result of parsing one field: the values it matches and whether it was written as an unrestricted
/// `*` (which switches day-of-month/day-of-week matching from OR to AND).
struct ParsedCronField: Sendable, Hashable {
    var values: CronValueSet
    var isStar: Bool
}

extension CronField {
    /// Parses one field of a five-field expression: a comma-separated list of `*`, `?`, `N`, `N-M`,
    /// each optionally followed by `/STEP`; `N/STEP` means `N-max/STEP`.
    ///
    /// A field counts as a star when some item is `*` (or `?`) without a step greater than one — the rule
    /// robfig/cron v3 applies, so `*/2` in day-of-month combines with day-of-week by OR as in Kubernetes.
    func parse(_ text: String) throws(CronParseError) -> ParsedCronField {
        var bits: UInt64 = 0
        var isStar = false
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parsed = try parseItem(Substring(item), in: text)
            bits |= parsed.values.bits
            isStar = isStar || parsed.isStar
        }
        if self == .dayOfWeek, bits & (1 << 7) != 0 {
            bits = (bits & ~(1 << 7)) | 1   // 7 is Sunday, like 0
        }
        return ParsedCronField(values: CronValueSet(bits: bits), isStar: isStar)
    }

    private func parseItem(_ item: Substring, in fieldText: String) throws(CronParseError) -> ParsedCronField {
        func failure(_ problem: String) -> CronParseError {
            CronParseError(message: "\(name) field \"\(fieldText)\": \(problem)")
        }
        guard !item.isEmpty else { throw failure("empty list item") }
        let rangeAndStep = item.split(separator: "/", omittingEmptySubsequences: false)
        guard rangeAndStep.count <= 2 else { throw failure("too many \"/\" in \"\(item)\"") }

        var step = 1
        if rangeAndStep.count == 2 {
            let stepText = rangeAndStep[1]
            guard !stepText.isEmpty, stepText.count <= 4, stepText.allSatisfy(\.isASCIIDigit),
                  let value = Int(stepText) else {
                throw failure("step \"\(stepText)\" in \"\(item)\" is not a positive integer")
            }
            guard value >= 1 else { throw failure("step \"\(stepText)\" in \"\(item)\" must be at least 1") }
            step = value
        }

        let rangeText = rangeAndStep[0]
        let start: Int
        var end: Int
        var isStar = false
        if rangeText == "*" || rangeText == "?" {
            start = minimum
            end = self == .dayOfWeek ? 6 : maximum
            isStar = step == 1
        } else {
            let bounds = rangeText.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { throw failure("too many \"-\" in \"\(item)\"") }
            start = try value(of: bounds[0], failure: failure)
            if bounds.count == 2 {
                end = try value(of: bounds[1], failure: failure)
                // `fri-sun` reads naturally as Friday to Sunday: a named Sunday ending a range that starts
                // later in the week is 7. (`sun-sun` stays Sunday alone.)
                if self == .dayOfWeek, end == 0, start > 0, !bounds[1].allSatisfy(\.isASCIIDigit) { end = 7 }
            } else {
                end = rangeAndStep.count == 2 ? (self == .dayOfWeek ? 6 : maximum) : start
            }
            guard start <= end else {
                throw failure("range \"\(rangeText)\" starts after it ends (\(start) > \(end))")
            }
        }

        var bits: UInt64 = 0
        for value in stride(from: start, through: end, by: step) {
            bits |= 1 << UInt64(value)
        }
        return ParsedCronField(values: CronValueSet(bits: bits), isStar: isStar)
    }

    /// A single number or name.
    private func value(of token: Substring, failure: (String) -> CronParseError) throws(CronParseError) -> Int {
        guard !token.isEmpty else { throw failure("missing value in range") }
        if token.allSatisfy(\.isASCIIDigit) {
            guard token.count <= 4, let number = Int(token), (minimum...maximum).contains(number) else {
                throw failure("\(token) is out of range \(expectation)")
            }
            return number
        }
        if let named = names[token.lowercased()] { return named }
        if names.isEmpty {
            throw failure("\"\(token)\" is not a number (expected \(expectation))")
        }
        throw failure("unknown name \"\(token)\" (expected \(expectation))")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
