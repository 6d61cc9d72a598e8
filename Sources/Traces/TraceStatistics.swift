/// The figures `fleetcast trace stats` prints and the traces README tabulates.
public struct TraceStatistics: Sendable, Hashable {
    /// Covered time in seconds (first sample to the end of the last).
    public var span: Double
    /// Sample spacing in seconds.
    public var step: Double
    public var samples: Int
    public var peak: Double
    /// Time-weighted mean demand.
    public var mean: Double
    /// Detrended autocorrelation at a lag of one day; `nil` when the trace is not longer than two days.
    public var dailyAutocorrelation: Double?
    /// Detrended autocorrelation at a lag of seven days; `nil` when the trace is not longer than 14 days.
    public var weeklyAutocorrelation: Double?
}

extension DemandSeries {
    /// Most grid values the seasonality figures are computed on; a longer or sparser trace is
    /// coarsened first (`resampled(maxSteps:)`), so memory stays bounded whatever the span.
    public static let statisticsGridLimit = 2_000_000

    /// Span, peak, mean and daily/weekly seasonality of the demand. Peak and mean come from the
    /// samples themselves (exact, whatever the gaps); the autocorrelations from the regular grid.
    public func statistics() -> TraceStatistics {
        let (gridStep, values) = resampled(maxSteps: Self.statisticsGridLimit)
        let peak = gpus.max() ?? 0
        var area = 0.0
        for index in times.indices {
            let until = index + 1 < times.count ? times[index + 1] : end
            area += gpus[index] * (until - times[index])
        }
        let mean = span > 0 ? area / span : 0
        let stepsPerDay = Int(saturatingSteps: 86_400 / gridStep)
        return TraceStatistics(
            span: span, step: step, samples: count, peak: peak, mean: mean,
            dailyAutocorrelation: Seasonality.detrendedAutocorrelation(values, lag: stepsPerDay),
            weeklyAutocorrelation: Seasonality.detrendedAutocorrelation(values, lag: 7 * stepsPerDay))
    }
}

extension Int {
    /// A whole number of grid steps, 0 when not representable (a lag that long has no overlap anyway).
    init(saturatingSteps value: Double) {
        let rounded = value.rounded()
        self = rounded.isFinite && rounded >= 0 && rounded < 1e15 ? Int(rounded) : 0
    }
}

/// How strongly demand repeats with a period.
public enum Seasonality {
    /// Correlation between the series and itself `lag` samples later, after removing the trend.
    ///
    /// The trend is a centred moving average one lag wide, so anything slower than the period (growth,
    /// multi-day swings) is removed while the period's own shape is kept; the residuals' Pearson
    /// correlation at `lag` is returned. Near 1: the same shape every period; near 0: no repetition.
    /// `nil` when the series is not longer than two lags (the overlap would be too short to mean
    /// anything) or the residual is constant.
    ///
    /// On the traces in `../shared/data/traces` this gives 0.56 / — (servegen), 0.43 / 0.30 (helios),
    /// 0.04 / 0.22 (philly) and 0.12 / 0.03 (alibaba dlrm) at one / seven days, against the README's
    /// 0.53 / —, 0.43 / 0.23, 0.04 / 0.18 and "none"; see `docs/traces.md`.
    public static func detrendedAutocorrelation(_ values: [Double], lag: Int) -> Double? {
        guard lag > 0, values.count > 2 * lag else { return nil }
        let window = lag
        var prefix = [Double](repeating: 0, count: values.count + 1)
        for index in values.indices { prefix[index + 1] = prefix[index] + values[index] }
        let offset = (window - 1) / 2
        let residualCount = values.count - window + 1
        var residuals = [Double](repeating: 0, count: residualCount)
        for index in 0..<residualCount {
            let average = (prefix[index + window] - prefix[index]) / Double(window)
            residuals[index] = values[index + offset] - average
        }
        return pearsonCorrelation(residuals, lag: lag)
    }

    /// Pearson correlation of `values[0..<n-lag]` with `values[lag..<n]`.
    static func pearsonCorrelation(_ values: [Double], lag: Int) -> Double? {
        let pairs = values.count - lag
        guard pairs > 1 else { return nil }
        var sumA = 0.0, sumB = 0.0
        for index in 0..<pairs {
            sumA += values[index]
            sumB += values[index + lag]
        }
        let meanA = sumA / Double(pairs), meanB = sumB / Double(pairs)
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for index in 0..<pairs {
            let a = values[index] - meanA, b = values[index + lag] - meanB
            covariance += a * b
            varianceA += a * a
            varianceB += b * b
        }
        guard varianceA > 0, varianceB > 0 else { return nil }
        return covariance / (varianceA * varianceB).squareRoot()
    }
}
