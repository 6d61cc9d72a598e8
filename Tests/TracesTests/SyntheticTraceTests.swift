import Cron
import Foundation
import Sampling
import Testing
import Traces

@Suite struct SyntheticTraceTests {
    @Test(arguments: TraceProfile.allCases)
    func sameSeedGivesIdenticalTraceAndOtherSeedsDiffer(profile: TraceProfile) throws {
        let first = try #require(SyntheticTraceConfiguration(profile: profile, days: 9, seed: 42).generate())
        let again = try #require(SyntheticTraceConfiguration(profile: profile, days: 9, seed: 42).generate())
        let other = try #require(SyntheticTraceConfiguration(profile: profile, days: 9, seed: 43).generate())
        #expect(first == again)
        #expect(first.csv() == again.csv())
        #expect(first != other)
        #expect(first.count == 9 * 1_440)
        #expect(first.isRegular && first.step == 60)
        #expect(first.gpus.allSatisfy { $0 >= 0 })
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        // First outputs for seed 1234567 from the reference C implementation (Vigna, splitmix64.c).
        var random = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in random.next() } == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    @Test(arguments: TraceProfile.allCases)
    func csvRoundTripsExactly(profile: TraceProfile) throws {
        let series = try #require(SyntheticTraceConfiguration(profile: profile, days: 3, seed: 7).generate())
        #expect(try Trace(csv: Array(series.csv().utf8), file: "generated.csv") == .demand(series))
    }

    @Test func scheduleAddsItsGPUsExactlyWhileItsWindowsAreOpen() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let nightly = RecurringWindow(expression: try CronExpression(parsing: "0 2 * * *"), timeZone: utc,
                                      duration: 3 * 3_600)
        let plain = SyntheticTraceConfiguration(profile: .inferenceDiurnal, days: 4, seed: 5)
        var withSchedule = plain
        withSchedule.schedules = [TraceSchedule(window: nightly, gpus: 32)]
        let base = try #require(plain.generate()).gpus
        let scheduled = try #require(withSchedule.generate()).gpus
        for minute in base.indices {
            let hour = (minute % 1_440) / 60
            let added = ((scheduled[minute] - base[minute]) * 100).rounded() / 100
            #expect(added == ((2..<5).contains(hour) ? 32 : 0), "minute \(minute)")
        }
    }

    @Test func scheduleInAZoneWithDaylightSavingFollowsLocalTime() throws {
        // Origin Monday 2026-03-23 00:00 UTC; Berlin springs forward on Sunday 2026-03-29.
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let window = RecurringWindow(expression: try CronExpression(parsing: "0 6 * * *"), timeZone: berlin,
                                     duration: 3_600)
        let origin = Date(timeIntervalSince1970: 1_774_224_000)
        let plain = SyntheticTraceConfiguration(profile: .trainingCluster, days: 8, seed: 9, origin: origin)
        var withSchedule = plain
        withSchedule.schedules = [TraceSchedule(window: window, gpus: 10)]
        let base = try #require(plain.generate()).gpus
        let scheduled = try #require(withSchedule.generate()).gpus
        let addedMinutes = base.indices.filter { scheduled[$0] - base[$0] > 5 }
        // 06:00 CET is 05:00 UTC before the jump, 06:00 CEST is 04:00 UTC after it.
        let dayAndHour = addedMinutes.map { (day: $0 / 1_440, hour: ($0 % 1_440) / 60) }
        #expect(dayAndHour.contains { $0 == (0, 5) })
        #expect(dayAndHour.contains { $0 == (6, 4) })
        #expect(addedMinutes.count == 8 * 60)
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func inferenceProfileHasItsDailyAndWeeklyShape(seed: UInt64) throws {
        let series = try #require(SyntheticTraceConfiguration(profile: .inferenceDiurnal, days: 28, seed: seed)
            .generate())
        func meanOver(hours: Range<Int>, weekdays: Set<Int>) -> Double {
            // Day 0 is a Monday (weekday 1).
            let picked = series.gpus.indices.filter {
                hours.contains(($0 % 1_440) / 60) && weekdays.contains(($0 / 1_440 + 1) % 7)
            }
            return picked.map { series.gpus[$0] }.reduce(0, +) / Double(picked.count)
        }
        let workdays: Set = [1, 2, 3, 4, 5]
        #expect(meanOver(hours: 19..<22, weekdays: workdays) > 2 * meanOver(hours: 1..<5, weekdays: workdays))
        #expect(meanOver(hours: 0..<24, weekdays: [0, 6]) < 0.92 * meanOver(hours: 0..<24, weekdays: workdays))
        let stats = series.statistics()
        #expect(try #require(stats.dailyAutocorrelation) > 0.5)
        // Growth: the last week is busier than the first.
        let firstWeek = series.gpus.prefix(7 * 1_440).reduce(0, +)
        let lastWeek = series.gpus.suffix(7 * 1_440).reduce(0, +)
        #expect(lastWeek > firstWeek)
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func trainingProfileHoldsWholeGPUsAndStartsBusy(seed: UInt64) throws {
        let series = try #require(SyntheticTraceConfiguration(profile: .trainingCluster, days: 14, seed: seed)
            .generate())
        #expect(series.gpus.allSatisfy { $0 == $0.rounded() })
        #expect(series.gpus[0] > 50)    // warm-up: jobs already running at t = 0
        let stats = series.statistics()
        #expect(stats.mean > 150 && stats.mean < 500)
    }

    @Test func invalidConfigurationsGenerateNothing() {
        #expect(SyntheticTraceConfiguration(profile: .mixed, days: 0, seed: 1).generate() == nil)
        #expect(SyntheticTraceConfiguration(profile: .mixed, days: 1, seed: 1, step: 7).generate() == nil)
        #expect(SyntheticTraceConfiguration(profile: .mixed, days: 1, seed: 1, step: 0).generate() == nil)
    }
}
