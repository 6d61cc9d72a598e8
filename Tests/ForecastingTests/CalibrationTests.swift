import Foundation
import Sampling
import Testing
@testable import Forecasting

/// The upper quantile covers close to its nominal share of outcomes it has not seen.
@Suite struct CalibrationTests {
    @Test(arguments: [0.8, 0.9, 0.95])
    func upperQuantileCoversItsShareOnSyntheticNoise(quantile: Double) {
        var configuration = ForecastConfiguration.standard
        configuration.quantile = quantile
        configuration.seasonalities = [86_400]
        let days = 16.0
        let history = SyntheticDemand.history(duration: days * 86_400, noise: 8, seed: 7) { SyntheticDemand.pattern($0) }
        // Fit at many origins over the last two days; score each forecast against the bins it did not see.
        var accuracy = ForecastAccuracy(quantile: quantile)
        let forecaster = DemandForecaster(configuration: configuration)
        for origin in stride(from: (days - 2) * 86_400, to: days * 86_400 - 4 * 3600, by: 4 * 3600) {
            let now = SyntheticDemand.start.addingTimeInterval(origin)
            let fitted = forecaster.fit(history: history, at: now)
            for point in fitted.forecast(at: now, horizon: 4 * 3600).points {
                let offset = history.binIndex(of: point.start) - history.firstBin
                if let actual = history.bin(at: offset)?.peak {
                    accuracy.record(mean: point.mean, upper: point.upper, actual: actual)
                }
            }
        }
        let coverage = accuracy.coverage ?? 0
        #expect(accuracy.count >= 500)
        #expect(abs(coverage - quantile) < 0.06, "coverage \(coverage) for q \(quantile)")
    }

    /// The margins read the conformal quantile off each lead's sorted scores; it must be the value
    /// selecting from the pooled scores gives, whichever end it is nearer, with ties and short runs.
    @Test(arguments: [0.5, 0.8, 0.95, 0.999])
    func quantileOfSortedRunsEqualsThePooledQuantile(quantile: Double) {
        var generator = SplitMix64(seed: 11)
        for trial in 0..<50 {
            let runs = (0..<(1 + trial % 11)).map { run in
                (0..<(run * 7 % 23)).map { _ in (generator.normal() * 4).rounded() }.sorted()
            }
            let pooled = runs.flatMap { $0 }
            #expect(Quantiles.conformal(sortedRuns: runs[...], quantile) == Quantiles.conformal(pooled, quantile),
                    "trial \(trial): \(runs)")
        }
    }

    @Test func sortAscendingSortsLikeTheStandardLibrary() {
        var generator = SplitMix64(seed: 5)
        for count in [0, 1, 2, 16, 17, 40, 401, 1000] {
            for spread in [0.5, 100] {
                let values = (0..<count).map { _ in (generator.normal() * spread).rounded() }
                var sorted = values
                Quantiles.sortAscending(&sorted)
                #expect(sorted == values.sorted(), "count \(count), spread \(spread)")
            }
        }
        var ascending = (0..<500).map(Double.init), descending = Array(ascending.reversed())
        Quantiles.sortAscending(&ascending)
        Quantiles.sortAscending(&descending)
        #expect(ascending == descending)
    }

    @Test func marginsGrowWithTheLead() {
        var generator = SplitMix64(seed: 3)
        // A random walk: uncertainty must widen with the lead.
        var level = 100.0
        let values = (0..<3000).map { _ in level += generator.normal(); return level }
        let series = PeakSeries(firstBin: 0, step: 300, values: values)
        let fitted = SeasonalRegressionModel(periods: [], harmonics: [], anchorLeads: 24).fit(series, upTo: 3000)
        let calibrated = CalibratedModel(fitted: fitted, series: series, origins: stride(from: 10, to: 3000, by: 3),
                                         end: 3000, leads: 24, quantile: 0.95)
        #expect(calibrated.margins == calibrated.margins.sorted())
        #expect(calibrated.margins[23] > 2 * calibrated.margins[0])
    }
}
