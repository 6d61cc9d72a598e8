import Cron
import Forecasting
import Foundation
import Simulation
import Testing

/// A discovered schedule whose duration is learned during a replay (issue #21): at every instant a
/// window that opened at `f` is open while the instant is before `f` + the duration known then.
@Suite struct ReplayedScheduleTests {
    static let start = Date(timeIntervalSince1970: 1_767_571_200)  // 2026-01-05T00:00:00Z, a Monday

    static func nightly(hours: Double) throws -> ScheduledDemand {
        let window = RecurringWindow(expression: try CronExpression(parsing: "0 1 * * *"), timeZone: try #require(TimeZone(identifier: "UTC")),
                                     duration: hours * 3600)
        return ScheduledDemand(name: "default/retrain", window: window, gpus: 24)
    }

    static func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        /// Hours after `start` at which the duration becomes 3 h (the prior is 1 h).
        var learnedAt: Double
        /// Open windows over the first three days, as (start, end) hours after `start`.
        var windows: [[Double]]
        var description: String { name }
    }

    @Test(arguments: [
        Case(name: "learned between windows", learnedAt: 4, windows: [[1, 2], [25, 28], [49, 52]]),
        // Learned while a window is running but already closed under the prior: it opens again until 3 h.
        Case(name: "learned inside a closed window", learnedAt: 26.5, windows: [[1, 2], [25, 26], [26.5, 28], [49, 52]]),
        // Learned while the prior window is still open: it simply lasts longer.
        Case(name: "learned inside an open window", learnedAt: 25.5, windows: [[1, 2], [25, 25.5], [25.5, 28], [49, 52]]),
    ])
    func windowsFollowTheDurationKnownAtEachInstant(_ test: Case) throws {
        let replayed = ReplayedSchedule(schedule: try Self.nightly(hours: 1), durations: [
            .init(from: .distantPast, seconds: 3600), .init(from: Self.at(test.learnedAt), seconds: 3 * 3600)])
        let windows = replayed.scheduledWindows(overlapping: DateInterval(start: Self.start, duration: 3 * 86_400))
        #expect(windows.map { [$0.start.timeIntervalSince(Self.start) / 3600, $0.end.timeIntervalSince(Self.start) / 3600] } == test.windows)
        #expect(windows.allSatisfy { $0.gpus == 24 && $0.name == "default/retrain" })
        #expect(replayed.schedule(at: Self.at(test.learnedAt - 0.01)).timing.duration == 3600)
        #expect(replayed.schedule(at: Self.at(test.learnedAt)).timing.duration == 3 * 3600)
    }

    /// The predictive policy's forecast source holds each schedule as the operator would at that instant,
    /// leaving the others (declared ones) alone, and its forecasts carry the learned window.
    @Test func forecastSourceAdoptsTheLearnedDuration() throws {
        let declared = ScheduledDemand(name: "weekly", timing: .once(DateInterval(start: Self.at(100), duration: 7200)), gpus: 8)
        var configuration = ForecastConfiguration.standard
        configuration.schedules = [declared, try Self.nightly(hours: 1)]
        let replayed = ReplayedSchedule(schedule: try Self.nightly(hours: 1), durations: [
            .init(from: .distantPast, seconds: 3600), .init(from: Self.at(4), seconds: 3 * 3600)])
        var source = ReplayedScheduleForecasts(configuration: configuration, replayed: [replayed])
        #expect(source.configuration(at: Self.at(3)).schedules.map(\.timing.duration) == [7200, 3600])
        #expect(source.configuration(at: Self.at(4)).schedules.map(\.timing.duration) == [7200, 3 * 3600])

        for minute in 0..<(24 * 60) { source.record(gpus: 2, at: Self.start.addingTimeInterval(Double(minute) * 60)) }
        let forecasted = source.forecast(at: Self.at(24.5), horizon: 6 * 3600)
        let forecast = try #require(forecasted)
        let window = try #require(forecast.scheduledWindows.first { $0.name == "default/retrain" })
        #expect(window.end.timeIntervalSince(window.start) == 3 * 3600)
        #expect(source.learned.configuration.schedules.map(\.timing.duration) == [7200, 10_800])
    }
}
