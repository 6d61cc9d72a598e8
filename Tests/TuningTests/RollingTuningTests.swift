import Foundation
import Simulation
import Testing
import Tuning

/// Rolling tuning is causal: each day runs with settings tuned on the days before it only.
@Suite struct RollingTuningTests {
    static func rolling() -> RollingTuning {
        RollingTuning(search: TuningSearch(objective: TuningObjective(servedFraction: 0.999), free: [.minIdlePercent, .learnedMaxPercent],
                                           passes: 1, maxSettings: 6),
                      base: TuningFixture.settings(), startup: .fixed(360), seed: 1, window: 86_400, leadIn: 0)
    }

    @Test func eachDayIsTunedOnTheDaysBeforeIt() {
        let demand = TuningFixture.demand(days: 4)
        // The same days, but the last one doubled: days 2 and 3 must be tuned exactly as before.
        var changed = demand
        for index in (3 * 1440)..<(4 * 1440) { changed.gpus[index] *= 2 }
        let first = Self.rolling().run(trace: demand, start: TuningFixture.start, scoreFrom: 2 * 86_400)
        let second = Self.rolling().run(trace: changed, start: TuningFixture.start, scoreFrom: 2 * 86_400)
        #expect(first.periods.map(\.from) == [2 * 86_400, 3 * 86_400])
        #expect(first.periods.map(\.knobs) == second.periods.map(\.knobs))
        #expect(first.periods.allSatisfy { $0.met != nil && $0.replays <= 6 })
        #expect(first.run.result.policy == "tuned")
        // The replay scored the last two days; the changed last day shows in its cost.
        #expect(second.run.result.cost > first.run.result.cost)
    }

    @Test func tooLittleHistoryRunsTheBaseSettings() {
        var rolling = Self.rolling()
        rolling.minimumHistory = 3 * 86_400
        let result = rolling.run(trace: TuningFixture.demand(days: 3), start: TuningFixture.start, scoreFrom: 86_400)
        #expect(result.periods.allSatisfy { $0.met == nil && $0.knobs == TuningKnobs(TuningFixture.settings()) })
        #expect(result.replays == 0)
    }
}
