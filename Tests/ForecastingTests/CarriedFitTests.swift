import Foundation
import Testing
@testable import Forecasting

/// `fit(history:at:updating:)`: between re-estimations a refit carries the chosen model forward over the
/// new bins (cheap), and the result must be what the same parameters say about the longer history.
@Suite struct CarriedFitTests {
    static let day: TimeInterval = 86_400

    static func instant(_ offset: TimeInterval) -> Date { SyntheticDemand.start.addingTimeInterval(offset) }

    @Test func holtWintersCarriedForwardEqualsOneFilterRunOverTheLongerSeries() throws {
        let history = SyntheticDemand.history(duration: 6 * Self.day, noise: 3) { SyntheticDemand.pattern($0) }
        let firstBin = history.binIndex(of: SyntheticDemand.start)
        let all = PeakSeries(firstBin: firstBin, step: 300,
                             values: history.peakSeries(fromBin: firstBin, toBin: history.binIndex(of: Self.instant(6 * Self.day))))
        let short = PeakSeries(firstBin: firstBin, step: 300, values: Array(all.values[..<(all.count - 100)]))
        let model = HoltWintersModel(period: 288)
        let fitted = try #require(model.fit(short, upTo: short.count) as? FittedHoltWinters)
        let carried = try #require(fitted.extended(to: all) as? FittedHoltWinters)
        // The same parameters from the same start over all values, without stopping.
        let uninterrupted = fitted.parameters.filter(all.values, initial: model.initialState(short, end: short.count, period: 288))
        #expect(carried.states.levels.count == all.count)
        for index in stride(from: 0, to: all.count, by: 7) {
            #expect(abs(carried.states.levels[index] - uninterrupted.levels[index]) < 1e-9)
            #expect(abs(carried.states.trends[index] - uninterrupted.trends[index]) < 1e-9)
            #expect(abs(carried.states.seasonals[index] - uninterrupted.seasonals[index]) < 1e-9)
        }
        // And the carried model forecasts from the new end, not from where it was fitted.
        let fromNewEnd = carried.forecast(from: all.count, count: 12)
        let fromOldEnd = fitted.forecast(from: all.count, count: 12)
        #expect(zip(fromNewEnd.means, fromOldEnd.means).contains { abs($0 - $1) > 1e-6 })
    }

    @Test func regressionCarriedForwardKeepsItsCoefficientsAndExtendsItsBaseline() throws {
        let history = SyntheticDemand.history(duration: 6 * Self.day, noise: 3) { SyntheticDemand.pattern($0) }
        let firstBin = history.binIndex(of: SyntheticDemand.start)
        let all = PeakSeries(firstBin: firstBin, step: 300,
                             values: history.peakSeries(fromBin: firstBin, toBin: history.binIndex(of: Self.instant(6 * Self.day))))
        let short = PeakSeries(firstBin: firstBin, step: 300, values: Array(all.values[..<(all.count - 50)]))
        let model = SeasonalRegressionModel(periods: [288], harmonics: [10], anchorLeads: 36)
        let fitted = try #require(model.fit(short, upTo: short.count) as? FittedSeasonalRegression)
        let carried = try #require(fitted.extended(to: all) as? FittedSeasonalRegression)
        #expect(carried.beta == fitted.beta)
        #expect(carried.persistence == fitted.persistence)
        #expect(carried.baseline.count == all.count)
        for index in short.count..<all.count { #expect(abs(carried.baseline[index] - fitted.seasonal(at: index)) < 1e-9) }
        #expect(fitted.extended(to: PeakSeries(firstBin: firstBin, step: 300, values: [1, 2])) == nil)
    }

    @Test func carriedRefitFollowsANewLevelWithoutReestimating() throws {
        var configuration = ForecastConfiguration.standard
        configuration.seasonalities = [Self.day]
        // The regression alone, so the test does not depend on which model a backtest prefers.
        configuration.models = [.seasonalRegression]
        let forecaster = DemandForecaster(configuration: configuration)
        // Eight days of the daily pattern with a slow 5-hour wobble (so offsets from the daily shape
        // persist, as they do in real demand), then demand steps up by 40 GPUs for two hours.
        var history = SyntheticDemand.history(duration: 8 * Self.day, noise: 1) {
            SyntheticDemand.pattern($0) + 10 * sin(2 * .pi * $0 / 18_000)
        }
        let first = forecaster.fit(history: history, at: Self.instant(8 * Self.day))
        var t = 8 * Self.day
        while t < 8 * Self.day + 2 * 3600 {
            history.record(gpus: SyntheticDemand.pattern(t) + 40, at: Self.instant(t))
            t += 300
        }
        let now = Self.instant(8 * Self.day + 2 * 3600)
        let carried = forecaster.fit(history: history, at: now, updating: first)
        #expect(carried.estimatedAt == first.estimatedAt)
        #expect(carried.fittedAt == now)
        #expect(carried.model == first.model)
        #expect(carried.readiness == first.readiness)
        let stale = try #require(first.forecast(at: now, horizon: 1800).points.first)
        let fresh = try #require(carried.forecast(at: now, horizon: 1800).points.first)
        // The carried fit starts from the raised level; the stale one still forecasts the old shape.
        let truth = SyntheticDemand.pattern(8 * Self.day + 2 * 3600) + 40
        #expect(abs(fresh.mean - truth) < abs(stale.mean - truth) - 10,
                "fresh \(fresh.mean), stale \(stale.mean), truth \(truth)")
    }

    @Test func reestimatesOnceTheIntervalHasPassed() {
        let forecaster = DemandForecaster(configuration: .standard)
        let history = SyntheticDemand.history(duration: 10 * Self.day) { SyntheticDemand.pattern($0) }
        let first = forecaster.fit(history: history, at: Self.instant(8 * Self.day))
        let sameDay = forecaster.fit(history: history, at: Self.instant(8.5 * Self.day), updating: first)
        let nextDay = forecaster.fit(history: history, at: Self.instant(9 * Self.day), updating: sameDay)
        #expect(sameDay.estimatedAt == first.estimatedAt)
        #expect(nextDay.estimatedAt == Self.instant(9 * Self.day))
    }

    @Test func aYoungHistoryIsReestimatedOnceItHasDoubled() {
        let forecaster = DemandForecaster(configuration: .standard)
        let history = SyntheticDemand.history(duration: 2 * Self.day) { SyntheticDemand.pattern($0) }
        let first = forecaster.fit(history: history, at: Self.instant(3 * 3600))
        let soon = forecaster.fit(history: history, at: Self.instant(5 * 3600), updating: first)
        let later = forecaster.fit(history: history, at: Self.instant(6 * 3600), updating: soon)
        #expect(soon.estimatedAt == first.estimatedAt)
        #expect(later.estimatedAt == Self.instant(6 * 3600))
    }

    @Test func anotherConfigurationOrAnEarlierInstantIsAFullFit() {
        let history = SyntheticDemand.history(duration: 9 * Self.day) { SyntheticDemand.pattern($0) }
        let first = DemandForecaster(configuration: .standard).fit(history: history, at: Self.instant(8 * Self.day))
        var changed = ForecastConfiguration.standard
        changed.quantile = 0.9
        let refit = DemandForecaster(configuration: changed).fit(history: history, at: Self.instant(8.1 * Self.day), updating: first)
        #expect(refit.estimatedAt == Self.instant(8.1 * Self.day))
        let earlier = DemandForecaster(configuration: .standard).fit(history: history, at: Self.instant(7 * Self.day), updating: first)
        #expect(earlier.estimatedAt == Self.instant(7 * Self.day))
    }
}
