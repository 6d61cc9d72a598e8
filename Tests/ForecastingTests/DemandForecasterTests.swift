import Foundation
import Sampling
import Testing
@testable import Forecasting

@Suite struct DemandForecasterTests {
    static let day: TimeInterval = 86_400

    static func fit(_ history: DemandHistory, at offset: TimeInterval,
                    configuration: ForecastConfiguration = .standard) -> FittedDemandForecaster {
        DemandForecaster(configuration: configuration).fit(history: history, at: SyntheticDemand.start.addingTimeInterval(offset))
    }

    @Test func recoversDailyAndWeeklyPatternsEndToEnd() {
        let history = SyntheticDemand.history(duration: 16 * Self.day, noise: 1) { SyntheticDemand.pattern($0, weekly: true) }
        // Forecast Monday morning of week three from Sunday night: the weekday step must be there.
        let now = 14 * Self.day + 6 * 3600
        let fitted = Self.fit(history, at: now)
        let forecast = fitted.forecast(at: SyntheticDemand.start.addingTimeInterval(now), horizon: 4 * 3600)
        #expect(fitted.readiness == .ready)
        #expect(forecast.points.count == 48)
        for point in forecast.points {
            let truth = SyntheticDemand.pattern(point.start.timeIntervalSince(SyntheticDemand.start), weekly: true)
            #expect(abs(point.mean - truth) < 8, "\(fitted.model) at \(point.start): \(point.mean) vs \(truth)")
            #expect(point.upper >= point.mean)
        }
    }

    @Test func tooLittleHistoryIsNotReady() {
        let history = SyntheticDemand.history(duration: 3 * Self.day) { SyntheticDemand.pattern($0) }
        let fitted = Self.fit(history, at: 3 * Self.day)
        #expect(fitted.readiness == .notReady(.insufficientHistory))
        // It still forecasts something sensible from what it has.
        let forecast = fitted.forecast(at: SyntheticDemand.start.addingTimeInterval(3 * Self.day), horizon: 3600)
        #expect(forecast.points.allSatisfy { $0.mean > 50 && $0.mean < 150 })
        #expect(forecast.readiness == .notReady(.insufficientHistory))
    }

    @Test func emptyHistoryForecastsNothingLearned() {
        let fitted = Self.fit(DemandHistory(step: 300, retention: 14 * Self.day), at: 0)
        let forecast = fitted.forecast(at: SyntheticDemand.start, horizon: 1800)
        #expect(fitted.model == "none")
        #expect(forecast.points.count == 6)
        #expect(forecast.points.allSatisfy { $0.mean == 0 && $0.upper == 0 })
        #expect(forecast.readiness == .notReady(.insufficientHistory))
    }

    @Test func missingRecentBinsArePoorCoverage() {
        var history = SyntheticDemand.history(duration: 10 * Self.day) { SyntheticDemand.pattern($0) }
        // The operator was down for the last 12 hours: only advance the clock.
        history.advance(to: SyntheticDemand.start.addingTimeInterval(10.5 * Self.day))
        var configuration = ForecastConfiguration.standard
        configuration.seasonalities = [Self.day]
        let fitted = Self.fit(history, at: 10.5 * Self.day, configuration: configuration)
        #expect(fitted.readiness == .notReady(.poorCoverage))
        let forecast = fitted.forecast(at: SyntheticDemand.start.addingTimeInterval(10.5 * Self.day), horizon: 3600)
        #expect(forecast.points.allSatisfy { $0.mean.isFinite && $0.upper.isFinite && $0.mean > 40 })
    }

    @Test func scatteredMissingBinsAreTolerated() {
        var history = DemandHistory(step: 300, retention: 30 * Self.day)
        var t = 0.0
        var index = 0
        while t < 9 * Self.day {
            if index % 10 != 3 { history.record(gpus: SyntheticDemand.pattern(t), at: SyntheticDemand.start.addingTimeInterval(t)) }
            t += 300
            index += 1
        }
        var configuration = ForecastConfiguration.standard
        configuration.seasonalities = [Self.day]
        let fitted = Self.fit(history, at: 9 * Self.day, configuration: configuration)
        #expect(fitted.readiness == .ready)
        let forecast = fitted.forecast(at: SyntheticDemand.start.addingTimeInterval(9 * Self.day), horizon: 7200)
        for point in forecast.points {
            #expect(abs(point.mean - SyntheticDemand.pattern(point.start.timeIntervalSince(SyntheticDemand.start))) < 5)
        }
    }

    @Test(arguments: [0.0, 7.0, 250.0])
    func constantSeriesForecastsTheConstant(level: Double) {
        let history = SyntheticDemand.history(duration: 15 * Self.day) { _ in level }
        let fitted = Self.fit(history, at: 15 * Self.day)
        let forecast = fitted.forecast(at: SyntheticDemand.start.addingTimeInterval(15 * Self.day), horizon: 7200)
        #expect(fitted.readiness == .ready)
        for point in forecast.points {
            #expect(abs(point.mean - level) < 1e-6)
            #expect(abs(point.upper - level) < 1e-6)
        }
    }

    @Test func spikySeriesStaysRobust() {
        // Mostly 20 GPUs with a rare 300-GPU spike: the mean must not chase spikes.
        let history = SyntheticDemand.history(duration: 15 * Self.day) { t in
            Int(t / 300) % 97 == 0 ? 300 : 20
        }
        let fitted = Self.fit(history, at: 15 * Self.day + 600)
        let forecast = fitted.forecast(at: SyntheticDemand.start.addingTimeInterval(15 * Self.day + 600), horizon: 3600)
        #expect(forecast.points.allSatisfy { $0.mean >= 0 && $0.mean < 60 && $0.upper >= $0.mean })
    }

    @Test func poorAccuracyIsReported() {
        // White noise around a level with a huge spread: no model can get WAPE under 0.5.
        var generator = SplitMix64(seed: 11)
        var history = DemandHistory(step: 300, retention: 30 * Self.day)
        for bin in 0..<(9 * 288) {
            let value = Double.random(in: 0..<1, using: &generator) < 0.5 ? 0 : Double.random(in: 50..<400, using: &generator)
            history.record(gpus: value, at: SyntheticDemand.start.addingTimeInterval(Double(bin) * 300))
        }
        var configuration = ForecastConfiguration.standard
        configuration.seasonalities = [Self.day]
        #expect(Self.fit(history, at: 9 * Self.day, configuration: configuration).readiness == .notReady(.poorAccuracy))
    }

    @Test func realisedAccuracyCanRevokeReadiness() {
        let history = SyntheticDemand.history(duration: 15 * Self.day) { SyntheticDemand.pattern($0) }
        let fitted = Self.fit(history, at: 15 * Self.day)
        #expect(fitted.readiness == .ready)
        var rolling = RollingAccuracy(quantile: 0.95, capacity: 48)
        for _ in 0..<48 { rolling.record(mean: 100, upper: 110, actual: 200) }
        #expect(fitted.readiness(given: rolling.accuracy) == .notReady(.poorAccuracy))
        var good = RollingAccuracy(quantile: 0.95, capacity: 48)
        for _ in 0..<60 { good.record(mean: 100, upper: 110, actual: 101) }
        #expect(fitted.readiness(given: good.accuracy) == .ready)
    }

    @Test func identicalInputsGiveIdenticalForecasts() {
        let history = SyntheticDemand.history(duration: 15 * Self.day, noise: 5, seed: 9) { SyntheticDemand.pattern($0, weekly: true) }
        let now = SyntheticDemand.start.addingTimeInterval(15 * Self.day + 1234)
        let a = DemandForecaster(configuration: .standard).fit(history: history, at: now).forecast(at: now, horizon: 7200)
        let b = DemandForecaster(configuration: .standard).fit(history: history, at: now).forecast(at: now, horizon: 7200)
        #expect(a == b)
    }

    @Test func forecastsBetweenRefitsStartAtTheirOwnBin() {
        let history = SyntheticDemand.history(duration: 15 * Self.day, noise: 2) { SyntheticDemand.pattern($0) }
        let fittedAt = 15 * Self.day
        let fitted = Self.fit(history, at: fittedAt)
        let later = SyntheticDemand.start.addingTimeInterval(fittedAt + 1000)
        let forecast = fitted.forecast(at: later, horizon: 600)
        #expect(forecast.origin == SyntheticDemand.start.addingTimeInterval(fittedAt + 900))
        #expect(forecast.points.count == 3)  // [900, 1800) covers now..now+600 in three 5-minute bins
        let beyond = fitted.forecast(at: later.addingTimeInterval(6 * 3600), horizon: 3600)
        #expect(beyond.points.allSatisfy { $0.upper >= $0.mean && $0.mean > 0 })
    }
}
