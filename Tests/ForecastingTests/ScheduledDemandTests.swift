import Cron
import Foundation
import Testing
@testable import Forecasting

@Suite struct ScheduledDemandTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func nightly(gpus: Double = 32) throws -> ScheduledDemand {
        let window = RecurringWindow(expression: try CronExpression(parsing: "0 2 * * *"), timeZone: berlin, duration: 3 * 3600)
        return ScheduledDemand(name: "nightly-retrain", window: window, gpus: gpus)
    }

    /// 02:00 Berlin is 01:00 UTC in winter and 00:00 UTC in summer: windows follow local time across DST,
    /// with the Cron module's CronJob semantics (a skipped local time does not fire, a repeated one fires
    /// twice); overlapping windows of one schedule add its GPUs once.
    @Test(arguments: [
        // (UTC forecast origin, expected UTC window starts within the next 6 hours)
        ("2026-03-28T00:00:00Z", ["2026-03-28T01:00:00Z"]),
        ("2026-03-29T00:00:00Z", []),  // 02:00 local does not exist that night
        ("2026-03-30T00:00:00Z", ["2026-03-30T00:00:00Z"]),
        ("2026-10-25T00:00:00Z", ["2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z"]),  // 02:00 CEST, then 02:00 CET
        ("2026-10-26T00:00:00Z", ["2026-10-26T01:00:00Z"]),
    ])
    func windowsFollowLocalTimeAcrossDST(origin: String, expectedStarts: [String]) throws {
        let formatter = ISO8601DateFormatter()
        let now = try #require(formatter.date(from: origin))
        let starts = try expectedStarts.map { try #require(formatter.date(from: $0)) }
        var configuration = ForecastConfiguration.standard
        configuration.schedules = [try Self.nightly()]
        let fitted = DemandForecaster(configuration: configuration).fit(history: DemandHistory(step: 300, retention: 86_400), at: now)
        let forecast = fitted.forecast(at: now, horizon: 6 * 3600)
        #expect(forecast.scheduledWindows.map(\.start) == starts)
        #expect(forecast.scheduledWindows.allSatisfy { $0.end == $0.start.addingTimeInterval(3 * 3600) })
        for point in forecast.points {
            let inside = starts.contains { point.start >= $0 && point.start < $0.addingTimeInterval(3 * 3600) }
            #expect(point.mean == (inside ? 32 : 0), "\(point.start)")
            #expect(point.upper == (inside ? 32 : 0))
        }
    }

    @Test func pastWindowsAreNotCountedTwice() throws {
        let schedule = try Self.nightly(gpus: 50)
        // Baseline 20 GPUs, plus the schedule's 50 during its windows, for ten days in January.
        let start = try #require(ISO8601DateFormatter().date(from: "2026-01-05T00:00:00Z"))
        var history = DemandHistory(step: 300, retention: 30 * 86_400)
        let windows = schedule.timing.windows(overlapping: DateInterval(start: start, duration: 10 * 86_400))
        for bin in 0..<(10 * 288) {
            let t = start.addingTimeInterval(Double(bin) * 300)
            let scheduled = windows.contains { $0.contains(t) && t < $0.end }
            history.record(gpus: 20 + (scheduled ? 50 : 0), at: t)
        }
        var configuration = ForecastConfiguration.standard
        configuration.seasonalities = [86_400]
        configuration.schedules = [schedule]
        let now = start.addingTimeInterval(10 * 86_400)
        let forecast = DemandForecaster(configuration: configuration).fit(history: history, at: now).forecast(at: now, horizon: 6 * 3600)
        let inWindow = try #require(forecast.points.first { point in
            forecast.scheduledWindows.contains { point.start >= $0.start && point.start < $0.end }
        })
        let outside = try #require(forecast.points.first)
        #expect(abs(inWindow.mean - 70) < 1, "schedule added once on a 20-GPU baseline, got \(inWindow.mean)")
        #expect(abs(outside.mean - 20) < 1)
    }

    @Test func negativeOrNonFiniteGPUsAddNothing() throws {
        var configuration = ForecastConfiguration.standard
        configuration.schedules = [try Self.nightly(gpus: -5), try Self.nightly(gpus: .nan)]
        let now = try #require(ISO8601DateFormatter().date(from: "2026-01-05T00:00:00Z"))
        let forecast = DemandForecaster(configuration: configuration)
            .fit(history: DemandHistory(step: 300, retention: 86_400), at: now).forecast(at: now, horizon: 6 * 3600)
        #expect(forecast.points.allSatisfy { $0.mean == 0 && $0.upper == 0 })
    }
}
