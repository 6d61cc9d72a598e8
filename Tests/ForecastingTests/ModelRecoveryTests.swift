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
