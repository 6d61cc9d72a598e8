import Foundation
import Sampling
import Testing
import Traces

@Suite struct TraceStatisticsTests {
    @Test func tinySeriesFiguresByHand() throws {
        let series = try #require(DemandSeries(times: [0, 60, 180], gpus: [1, 2, 3]))
        let stats = series.statistics()
        #expect(stats.span == 240)
        #expect(stats.peak == 3)
        #expect(stats.mean == 2)          // time-weighted: 1, 2, 2, 3
        #expect(stats.samples == 3)
        #expect(stats.dailyAutocorrelation == nil)
        #expect(stats.weeklyAutocorrelation == nil)
    }

    @Test func dailyPeriodOnATrendIsFound() throws {
        // 10 days, one sample per minute: a daily sine on a strong upward trend.
        let values = (0..<(10 * 1_440)).map { minute in
            100 + 40 * sin(2 * Double.pi * Double(minute) / 1_440) + Double(minute) / 50
        }
        let stats = try #require(DemandSeries(step: 60, gpus: values)).statistics()
        #expect(try #require(stats.dailyAutocorrelation) > 0.99)
        #expect(stats.weeklyAutocorrelation == nil)   // not longer than two weeks
    }

    @Test func weeklyPeriodIsFoundAndDailyIsNot() throws {
        // Hourly samples over 8 weeks; demand depends only on the day of the week.
        let dayLevels: [Double] = [20, 80, 90, 85, 95, 70, 25]
        let values = (0..<(56 * 24)).map { dayLevels[($0 / 24) % 7] }
        let stats = try #require(DemandSeries(step: 3_600, gpus: values)).statistics()
        #expect(try #require(stats.weeklyAutocorrelation) > 0.99)
        #expect(abs(try #require(stats.dailyAutocorrelation)) < 0.6)
    }

    @Test func noiseHasNoSeasonality() throws {
        var random = SplitMix64(seed: 99)
        let values = (0..<(30 * 1_440)).map { _ in 50 + 10 * random.normal() }
        let stats = try #require(DemandSeries(step: 60, gpus: values)).statistics()
        #expect(abs(try #require(stats.dailyAutocorrelation)) < 0.05)
        #expect(abs(try #require(stats.weeklyAutocorrelation)) < 0.05)
    }

    @Test func constantDemandHasNoAutocorrelation() throws {
        let stats = try #require(DemandSeries(step: 60, gpus: Array(repeating: 4, count: 3 * 1_440))).statistics()
        #expect(stats.dailyAutocorrelation == nil)
        #expect(stats.mean == 4 && stats.peak == 4)
    }
}
