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
