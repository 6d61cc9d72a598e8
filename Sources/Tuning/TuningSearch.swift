import Foundation
import PoolPolicy

/// The bounded search: starting from the pool's own settings, turn one free knob at a time through
/// its grid (`KnobGrid`), keep the best value, and go round the knobs again until a round changes
/// nothing or `passes` rounds are done; never more than `maxSettings` replays. "Best" is the cheapest
/// setting that meets the objective on the worst day; while none does, the one that comes closest.
/// The margin that "meets" keeps in reserve is chosen by backtesting over the same replays
/// (`MarginBacktest`), and the search goes on under it when it differs from the one it started with.
///
/// Six knobs of four to six values each make 9,600 combinations; a round tries at most 22 (each
/// knob's other values), and
/// the knobs interact weakly enough (the warm share and the quantile both buy headroom; the window and
/// start-up quantile trade cost for fewer cold starts) that two or three rounds settle.
public struct TuningSearch: Sendable {
    public var objective: TuningObjective
    /// Knobs the search may turn; the others keep the base setting's values.
    public var free: Set<Knob>
    public var passes: Int
    public var maxSettings: Int
    /// Chooses the margin and whether the worst day or all days are judged, from the replayed days
    /// (nil: `objective` as given). When it chooses another rule than the one searched with, the search
    /// goes on from that rule's pick with what is left of `maxSettings`, and the backtest runs again
    /// over everything tried.
    public var backtest: MarginBacktest?

    public init(objective: TuningObjective, free: Set<Knob>, passes: Int = 3, maxSettings: Int = 80,
                backtest: MarginBacktest? = MarginBacktest()) {
        self.objective = objective
        self.free = free
        self.passes = max(1, passes)
        self.maxSettings = max(1, maxSettings)
        self.backtest = backtest
    }

    /// Searches from `evaluator.base` and returns every setting tried and the recommendation.
    public func run(_ evaluator: inout ReplayEvaluator) -> TuningOutcome {
        let baseline = evaluator.score(TuningKnobs(evaluator.base))
        var tried: [ReplayScore] = [baseline]
        var rounds = descend(from: baseline, objective: objective, evaluator: &evaluator, tried: &tried)
        var judged = objective
        var choice: MarginBacktest.Choice?
        if let backtest, let first = backtest.choose(objective: objective, scores: tried) {
            choice = first
            judged.apply(first.rule)
            if judged != objective, let start = Self.pick(from: tried, objective: judged) {
                rounds += descend(from: start, objective: judged, evaluator: &evaluator, tried: &tried)
                if let second = backtest.choose(objective: objective, scores: tried) {
                    choice = second
                    judged = objective
                    judged.apply(second.rule)
                }
            }
        }
        let recommended = Self.pick(from: tried, objective: judged) ?? baseline
        return TuningOutcome(objective: judged, free: free, baseline: baseline, recommended: recommended,
                             met: judged.isMet(by: recommended), tried: tried, rounds: rounds, fits: evaluator.fits,
                             backtest: choice)
    }

    /// The coordinate descent from `start` under `objective`, appending each new setting to `tried`;
    /// returns the rounds run.
    func descend(from start: ReplayScore, objective: TuningObjective, evaluator: inout ReplayEvaluator,
                 tried: inout [ReplayScore]) -> Int {
        var current = start
        var rounds = 0
        search: for _ in 0..<passes {
            rounds += 1
            var changed = false
            for knob in Knob.allCases where free.contains(knob) {
                var best = current
                for knobs in KnobGrid.variants(of: current.knobs, turning: knob, planner: evaluator.base.planner) where knobs != current.knobs {
                    guard evaluator.replays < maxSettings else { break search }
                    let before = evaluator.replays
                    let score = evaluator.score(knobs)
                    if evaluator.replays > before { tried.append(score) }
                    if Self.better(score, than: best, objective: objective) { best = score }
                }
                if best.knobs != current.knobs {
                    current = best
                    changed = true
                }
            }
            if !changed { break }
        }
        return rounds
    }

    /// The setting the tuner recommends among `scores`: the cheapest that meets `objective` (the one
    /// serving more on its worst day among equals); while none does, the closest.
    public static func pick(from scores: [ReplayScore], objective: TuningObjective) -> ReplayScore? {
        let meeting = scores.filter { objective.isMet(by: $0) }
        return meeting.min { ($0.cost, -$0.worstDayServedFraction) < ($1.cost, -$1.worstDayServedFraction) }
            ?? scores.min { better($0, than: $1, objective: objective) }
    }

    /// Meeting the objective beats not; among those that meet it, cheaper; among those that do not, closer.
    static func better(_ a: ReplayScore, than b: ReplayScore, objective: TuningObjective) -> Bool {
        let metA = objective.isMet(by: a), metB = objective.isMet(by: b)
        if metA != metB { return metA }
        if metA { return a.cost < b.cost - 1e-9 }
        let va = objective.violation(of: a), vb = objective.violation(of: b)
        if abs(va - vb) > 1e-12 { return va < vb }
        return a.cost < b.cost - 1e-9
    }
}

/// What a search found: the recommendation, the pool's own settings replayed the same way, and every
/// setting tried (the cost-versus-served frontier comes from these).
public struct TuningOutcome: Sendable, Codable {
    /// The objective as judged: with the margin the backtest chose, when it ran.
    public var objective: TuningObjective
    public var free: Set<Knob>
    /// The pool's settings as written.
    public var baseline: ReplayScore
    public var recommended: ReplayScore
    /// Whether the recommendation meets the objective (else it is the closest setting found).
    public var met: Bool
    public var tried: [ReplayScore]
    public var rounds: Int
    /// Forecaster runs (one per forecast quantile tried).
    public var fits: Int
    /// How the margin and judgement were chosen (nil: too few days to backtest, or no backtest; as given).
    public var backtest: MarginBacktest.Choice?

    /// The settings no other tried setting beats on both cost and served share, cheapest first.
    public var frontier: [ReplayScore] {
        let sorted = tried.sorted { ($0.cost, -$0.servedFraction) < ($1.cost, -$1.servedFraction) }
        var result: [ReplayScore] = []
        for score in sorted where score.servedFraction > (result.last?.servedFraction ?? -1) + 1e-12 {
            result.append(score)
        }
        return result
    }
}
