import Foundation
import Testing
@testable import Forecasting

/// Every model family recovers a known seasonal shape from a clean history.
@Suite struct ModelRecoveryTests {
    static let step: TimeInterval = 300

    static func series(days: Int, weekly: Bool, noise: Double = 0) -> PeakSeries {
        let history = SyntheticDemand.history(duration: Double(days) * 86_400, noise: noise) {
            SyntheticDemand.pattern($0, weekly: weekly)
        }
        return PeakSeries(firstBin: history.firstBin, step: step,
                            values: history.peakSeries(fromBin: history.firstBin, toBin: history.firstBin + history.binCount))
    }

    static let models: [(any DemandModel, weekly: Bool, tolerance: Double)] = [
        (SeasonalProfileModel(period: 288, seasons: 7, quantile: 0.95, name: "profile-24h"), false, 0.01),
        (SeasonalRegressionModel(periods: [288], harmonics: [10], anchorLeads: 36), false, 0.01),
        (HoltWintersModel(period: 288), false, 0.02),
        (SeasonalProfileModel(period: 2016, seasons: 2, quantile: 0.95, name: "profile-168h"), true, 0.01),
        (SeasonalRegressionModel(periods: [288, 2016], harmonics: [10, 16], anchorLeads: 36), true, 0.08),
    ]

    @Test(arguments: 0..<models.count)
    func recoversAKnownPattern(index: Int) {
        let (model, weekly, tolerance) = Self.models[index]
        // Hold out the last day; forecast it in one go from the end of the first 20 days.
        let full = Self.series(days: 21, weekly: weekly)
        let end = full.count - 288
        let fitted = model.fit(full, upTo: end)
        let forecast = fitted.forecast(from: end, count: 288)
        var error = 0.0, total = 0.0
        for offset in 0..<288 {
            error += abs(forecast.means[offset] - full.values[end + offset])
            total += full.values[end + offset]
        }
        #expect(error / total < tolerance, "\(model.name) WAPE \(error / total)")
    }

    /// The grid search evaluates Holt-Winters four parameter sets at a time; each error must be the
    /// scalar filter's to the bit (with missing bins, a non-seasonal set and an odd count of sets), so
    /// the chosen parameters are the same as evaluating one at a time.
    @Test func batchedHoltWintersErrorsEqualTheScalarFilter() {
        var series = Self.series(days: 8, weekly: false, noise: 3)
        for index in stride(from: 100, to: series.count, by: 97) { series.values[index] = .nan }
        for period in [288, 1] {
            let model = HoltWintersModel(period: period == 1 ? nil : period)
            let initial = model.initialState(series, end: series.count - 288, period: period)
            let sets = [(0.05, 0.0, 0.01), (0.3, 0.05, 0.1), (0.8, 0.01, 0.2), (0.95, 0.0, 0.04), (0.5, 0.05, 0.3)].map {
                HoltWintersParameters(alpha: $0.0, beta: $0.1, gamma: period == 1 ? 0 : $0.2, period: period)
            }
            let batched = HoltWintersParameters.oneStepErrors(sets, series.values, end: series.count - 288, initial: initial)
            let scalar = sets.map { $0.oneStepError(series.values, end: series.count - 288, initial: initial) }
            #expect(batched == scalar)
            #expect(batched.allSatisfy { $0.isFinite && $0 > 0 })
        }
    }

    @Test func regressionAnchorCarriesALevelShift() {
        var full = Self.series(days: 15, weekly: false)
        // The last six hours run 50 GPUs above the usual day.
        for index in (full.count - 72)..<full.count { full.values[index] += 50 }
        let model = SeasonalRegressionModel(periods: [288], harmonics: [10], anchorLeads: 36)
        let fitted = model.fit(full, upTo: full.count - 6)
        let next = fitted.forecast(from: full.count - 6, count: 1).means[0]
        let seasonal = full.values[full.count - 6] - 50
        #expect(next > seasonal + 10, "anchor should lift the forecast towards the new level")
    }

    @Test func forecastsUseOnlyValuesBeforeTheOrigin() {
        let full = Self.series(days: 10, weekly: false, noise: 2)
        var altered = full
        for index in (full.count - 100)..<full.count { altered.values[index] = 1_000 }
        for model in Self.models.map(\.0) {
            let a = model.fit(full, upTo: full.count - 100).forecast(from: full.count - 100, count: 50)
            let b = model.fit(altered, upTo: altered.count - 100).forecast(from: altered.count - 100, count: 50)
            #expect(a == b, "\(model.name) read past its origin")
        }
    }
}
