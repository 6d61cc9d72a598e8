extension DemandSeries {
    /// The series on a regular grid of at most `maxSteps` values: `regularValues()` when that fits,
    /// else the time-weighted mean over coarser bins, integrated sample by sample so a long gap is
    /// never expanded step by step. The coarse step is a whole multiple of `step`, chosen, where one
    /// exists, to divide a day evenly, so daily and weekly lags stay whole numbers of bins.
    ///
    /// Cost is linear in samples plus returned values; memory is the returned values.
    public func resampled(maxSteps: Int) -> (step: Double, values: [Double]) {
        let limit = max(1, maxSteps)
        let fineSteps = span / step
        if fineSteps <= Double(limit) { return (step, regularValues()) }
        let factor = Self.coarseningFactor(atLeast: (fineSteps / Double(limit)).rounded(.up), step: step)
        let coarse = step * factor
        let bins = max(1, min(limit, Int((span / coarse).rounded(.down))))
        var values = [Double](repeating: 0, count: bins)
        var index = 0
        for bin in 0..<bins {
            let from = start + Double(bin) * coarse
            let to = from + coarse
            var area = 0.0
            while index + 1 < times.count, times[index + 1] <= from { index += 1 }
            var cursor = index
            while cursor < times.count, times[cursor] < to {
                let segmentStart = max(from, times[cursor])
                let segmentEnd = min(to, cursor + 1 < times.count ? times[cursor + 1] : end)
                if segmentEnd > segmentStart { area += gpus[cursor] * (segmentEnd - segmentStart) }
                cursor += 1
            }
            values[bin] = area / coarse
        }
        return (coarse, values)
    }

    /// The smallest factor ≥ `minimum` whose multiple of `step` divides a day, or else the smallest
    /// multiple of a day's steps ≥ `minimum` (whole days), or `minimum` itself when a day is not a
    /// whole number of steps.
    static func coarseningFactor(atLeast minimum: Double, step: Double) -> Double {
        let perDay = (86_400 / step).rounded()
        guard perDay >= 1, perDay <= 86_400, abs(perDay * step - 86_400) < 1e-6 else { return max(1, minimum) }
        let stepsPerDay = Int(perDay)
        if minimum <= perDay {
            for divisor in 1...stepsPerDay where stepsPerDay % divisor == 0 && Double(divisor) >= minimum {
                return Double(divisor)
            }
        }
        return (minimum / perDay).rounded(.up) * perDay
    }
}
