import Foundation

/// A fitted model with horizon-dependent conformal margins: for every lead `h` the margin is the
/// split-conformal `q`-quantile of `actual − raw upper` over many past origins, so the upper forecast
/// covers about `q` of outcomes at that lead whatever the model's own error distribution is. Margins are
/// pooled over neighbouring leads to steady them and made non-decreasing, because uncertainty does not
/// shrink with the lead.
struct CalibratedModel: Sendable {
    let fitted: any FittedDemandModel
    let series: PeakSeries
    /// Margin added to the raw upper at lead offset `h` (0 = the origin's bin); the last one beyond.
    let margins: [Double]

    var name: String { fitted.name }

    private init(fitted: any FittedDemandModel, series: PeakSeries, margins: [Double]) {
        self.fitted = fitted
        self.series = series
        self.margins = margins
    }

    /// The model carried forward over a longer `series` with the margins it was calibrated with.
    func extended(to series: PeakSeries) -> CalibratedModel? {
        fitted.extended(to: series).map { CalibratedModel(fitted: $0, series: series, margins: margins) }
    }

    /// Calibrates `fitted` on origins in `origins` (evaluating bins before `end` only).
    init(fitted: any FittedDemandModel, series: PeakSeries, origins: StrideTo<Int>, end: Int,
         leads: Int, quantile: Double) {
        self.fitted = fitted
        self.series = series
        var scores = [[Double]](repeating: [], count: leads)
        for origin in origins {
            let raw = Self.filled(fitted.forecast(from: origin, count: leads), series: series, origin: origin)
            for offset in 0..<min(leads, end - origin) {
                let actual = series.values[origin + offset]
                if !actual.isNaN { scores[offset].append(actual - raw.uppers[offset]) }
            }
        }
        var margins = [Double](repeating: 0, count: leads)
        var previous: Double?
        // Each lead's scores sorted once; every pooled quantile is then read off a few sorted runs
        // instead of gathering and selecting thousands of values per lead (it was a fifth of a fit).
        let sorted = scores.map { scores in
            var ascending = scores
            Quantiles.sortAscending(&ascending)
            return ascending
        }
        for offset in 0..<leads {
            let width = max(1, offset / 6)
            let pooled = sorted[max(0, offset - width)...min(leads - 1, offset + width)]
            var margin = pooled.reduce(0, { $0 + $1.count }) >= 10 ? Quantiles.conformal(sortedRuns: pooled, quantile) : nil
            if let current = margin, let previous { margin = max(current, previous) }
            margins[offset] = margin ?? previous ?? 0
            previous = margins[offset]
        }
        self.margins = margins
    }

    /// Calibrated mean and upper for bins `origin ..< origin + count`, never negative, upper ≥ mean.
    func forecast(from origin: Int, count: Int) -> (means: [Double], uppers: [Double]) {
        var raw = Self.filled(fitted.forecast(from: origin, count: count), series: series, origin: origin)
        for offset in 0..<count {
            let margin = margins.isEmpty ? 0 : margins[min(offset, margins.count - 1)]
            let mean = max(raw.means[offset], 0)
            raw.means[offset] = mean
            raw.uppers[offset] = max(raw.uppers[offset] + margin, mean)
        }
        return raw
    }

    /// Replaces what a model could not say: a missing mean by the last observed value (or 0), a missing
    /// upper by the mean.
    static func filled(_ forecast: ModelForecast, series: PeakSeries, origin: Int) -> (means: [Double], uppers: [Double]) {
        let fallback = series.lastObserved(before: origin) ?? 0
        let means = forecast.means.map { $0.isFinite ? $0 : fallback }
        var uppers = forecast.uppers ?? means
        for index in uppers.indices where !uppers[index].isFinite { uppers[index] = means[index] }
        return (means, uppers)
    }

    /// Accuracy of the calibrated forecasts from `origins`, over leads before `end`.
    func accuracy(origins: StrideTo<Int>, end: Int, leads: Int, quantile: Double) -> ForecastAccuracy {
        var accuracy = ForecastAccuracy(quantile: quantile)
        for origin in origins {
            let count = min(leads, end - origin)
            guard count > 0 else { continue }
            let forecast = forecast(from: origin, count: count)
            for offset in 0..<count {
                let actual = series.values[origin + offset]
                if !actual.isNaN {
                    accuracy.record(mean: forecast.means[offset], upper: forecast.uppers[offset], actual: actual)
                }
            }
        }
        return accuracy
    }
}
