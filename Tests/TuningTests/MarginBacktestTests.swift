import Foundation
import Simulation
import Testing
import Tuning

/// How the objective is judged is chosen by backtest over the replayed days, each held out in turn: a
/// steady history earns a looser rule, a rare bad day is judged with all days together, a history
/// whose held-out days break what the others said earns a stricter rule.
@Suite struct MarginBacktestTests {
    /// A setting's replay as days of equal demand, each with `unmet` of it unserved (waiting one
    /// minute), billing `cost` node-days a day.
    static func score(_ name: Int, cost: Double, unmet: [Double]) -> ReplayScore {
        let daily = unmet.map { share -> DayScore in
            var waits = FluidWaits()
            waits.add(demanded: 1_000_000, unmetGPUSeconds: share * 1_000_000, wait: 60)
            return DayScore(waits: waits, nodeSeconds: cost * 86_400)
        }
        let knobs = TuningKnobs(forecastQuantile: 0.9, minIdleNodes: name, minIdlePercent: 0, learnedMaxPercent: nil,
                                stabilizationWindow: 900, startupQuantile: 0.9)
        return ReplayScore(knobs: knobs, cost: cost * Double(unmet.count), servedFraction: 1 - unmet.reduce(0, +) / Double(unmet.count),
                           wait: 0, worstDayServedFraction: 1 - (unmet.max() ?? 0), worstDayWait: 0, peakDesiredNodes: 1,
                           days: unmet.count, daily: daily)
    }

    static let rules = [MarginBacktest.Rule(.worstDay, margin: 0.9), MarginBacktest.Rule(.worstDay, margin: 0.25),
                        MarginBacktest.Rule(.worstDay, margin: -1), MarginBacktest.Rule(.allDays, margin: 0.25),
                        MarginBacktest.Rule(.allDays, margin: 0)]

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        /// Unmet share per day of three settings costing 1, 2 and 3 a day.
        var cheap: [Double]
        var mid: [Double]
        var safe: [Double]
        var heldOutMargin = 0.0
        var rule: MarginBacktest.Rule?
        var heldOutServed: Double?
        var description: String { name }
    }

    // Objective 0.999 (0.1 % unmet allowed). On the worst day 0.9, 0.25 and −1 allow 0.01 %, 0.075 % and
    // 0.2 %; all days together 0.25 and 0 allow 0.075 % and 0.1 %. Each of 4 days is held out in turn.
    @Test(arguments: [
        // Without day 0 every rule but the strictest picks cheap (0.15 % on day 0); with it, −1 still
        // does (0.05 % each), the others mid or safe: −1 meets 0.1 % held out, (0.15 + 3 × 0.05) / 4, for 4.
        // (All days together at 0 picks cheap too, the same days at the same cost: the earlier rule wins.)
        Case(name: "steady: the loose rule holds out", cheap: [0.0015, 0.0005, 0.0005, 0.0005], mid: [0.0002, 0.0002, 0.0002, 0.0002],
             safe: [0, 0, 0, 0], rule: .init(.worstDay, margin: -1), heldOutServed: 0.99925),
        // The same days with half the allowance in reserve: only the strictest (safe everywhere) holds out.
        Case(name: "steady, with a reserve: the strict rule", cheap: [0.0015, 0.0005, 0.0005, 0.0005], mid: [0.0002, 0.0002, 0.0002, 0.0002],
             safe: [0, 0, 0, 0], heldOutMargin: 0.5, rule: .init(.worstDay, margin: 0.9), heldOutServed: 1),
        // Cheap's one bad day is made up for by its perfect others: all days together at 0 keeps cheap
        // (0.24 % / 4 held out, cost 4); the worst-day rules pay for mid or safe on the other days.
        Case(name: "a rare bad day: all days together", cheap: [0.0024, 0, 0, 0], mid: [0.0008, 0.0008, 0.0008, 0.0008],
             safe: [0, 0, 0, 0], rule: .init(.allDays, margin: 0), heldOutServed: 0.9994),
        // Mid looks fine without day 0 and leaves 0.5 % on it; only the strictest rule never picks it.
        Case(name: "volatile: the strictest rule", cheap: [0.01, 0.01, 0.01, 0.01], mid: [0.005, 0.0005, 0.0005, 0.0005],
             safe: [0.0003, 0, 0, 0], rule: .init(.worstDay, margin: 0.9), heldOutServed: 0.999925),
        // Every rule picks cheap without day 0 (0.6 % unmet on it): none holds out, the closest is used.
        Case(name: "nothing holds out: the closest", cheap: [0.006, 0, 0, 0], mid: [0.0005, 0.0005, 0.0005, 0.0005],
             safe: [0, 0, 0, 0], rule: .init(.worstDay, margin: 0.9), heldOutServed: 0.9985),
        Case(name: "too few days to hold one out", cheap: [0.0005, 0.0005], mid: [0.0002, 0.0002], safe: [0, 0], rule: nil, heldOutServed: nil),
    ])
    func chosenRule(_ test: Case) {
        let scores = [Self.score(1, cost: 1, unmet: test.cheap), Self.score(2, cost: 2, unmet: test.mid), Self.score(3, cost: 3, unmet: test.safe)]
        let backtest = MarginBacktest(rules: Self.rules, heldOutMargin: test.heldOutMargin, minimumDays: 3)
        let choice = backtest.choose(objective: TuningObjective(servedFraction: 0.999), scores: scores)
        #expect(choice?.rule == test.rule)
        if let choice, let heldOutServed = test.heldOutServed {
            #expect(choice.heldOutDays == 4)
            #expect(choice.trials.map(\.rule) == Self.rules)
            let chosen = choice.trials.first { $0.rule == choice.rule }
            #expect(abs((chosen?.heldOutServedFraction ?? 0) - heldOutServed) < 1e-9)
        }
    }

    /// A replay is causal: its first scored day, read from a replay of two, is what a replay that stops
    /// ten minutes into the second day gives for it.
    @Test func restrictedScoreIsTheShorterReplay() {
        let knobs = TuningKnobs(TuningFixture.settings())
        var long = TuningFixture.evaluator()
        var short = ReplayEvaluator(history: TuningHistory(demand: TuningFixture.demand(), start: TuningFixture.start, replayFrom: 86_400,
                                                           scoreFrom: 2 * 86_400, scoreTo: 3 * 86_400 + 600),
                                    base: TuningFixture.settings(), startup: .fixed(360), seed: 1)
        let whole = long.score(knobs).restricted(to: [0], waitQuantile: 0.95)
        let first = short.score(knobs).restricted(to: [0], waitQuantile: 0.95)
        #expect(whole.days == 1)
        #expect(whole.daily == first.daily)
        #expect(whole.worstDayServedFraction == first.worstDayServedFraction)
        #expect(whole.worstDayWait == first.worstDayWait)
        #expect(whole.daily[0].waits.demandedGPUSeconds > 0)
    }

    /// With enough scored days the search judges by the rule its backtest chose, and recommends that
    /// rule's cheapest setting among everything it tried, within its bound.
    @Test func searchJudgesByTheChosenRule() throws {
        var evaluator = ReplayEvaluator(history: TuningHistory(demand: TuningFixture.demand(days: 6), start: TuningFixture.start,
                                                               replayFrom: 86_400, scoreFrom: 2 * 86_400),
                                        base: TuningFixture.settings(), startup: .fixed(360), seed: 1)
        let objective = TuningObjective(servedFraction: 0.999)
        let outcome = TuningSearch(objective: objective, free: [.minIdleNodes, .minIdlePercent, .forecastQuantile], maxSettings: 20)
            .run(&evaluator)
        #expect(evaluator.replays <= 20)
        let choice = try #require(outcome.backtest)
        #expect(choice.heldOutDays == 4)
        #expect(outcome.objective.margin == choice.rule.margin && outcome.objective.judgedOn == choice.rule.judgedOn)
        #expect(outcome.recommended == TuningSearch.pick(from: outcome.tried, objective: outcome.objective))
        #expect(outcome.met == outcome.objective.isMet(by: outcome.recommended))
    }
}
