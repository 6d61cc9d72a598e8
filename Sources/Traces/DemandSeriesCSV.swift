extension DemandSeries {
    /// The series in the demand-series trace format (`timestamp_seconds,gpus`), values rounded to two
    /// decimals and written without trailing zeros, so output is compact and identical for identical input.
    public func csv() -> String {
        var text = "timestamp_seconds,gpus\n"
        text.reserveCapacity(count * 14 + 24)
        for index in 0..<count {
            text += Self.decimal(times[index])
            text += ","
            text += Self.decimal(gpus[index])
            text += "\n"
        }
        return text
    }

    /// `value` rounded to two decimals: `80.98`, `80.9`, `81`.
    static func decimal(_ value: Double) -> String {
        guard abs(value) < 1e15 else { return String(value) }
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
