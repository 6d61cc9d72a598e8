import FleetcastAPI
import Foundation
import PoolPolicy
import Simulation
import Tuning

extension Fleetcast.Simulate {
    /// The `tuned` row: rolling causal tuning (`RollingTuning`) — every --tune-every, tune on the
    /// scored days before (the last seven at most, never the trace's first day) and run the next
    /// period with what was found. Before the warm-up ends the pool runs as written.
    func tunedRun(goal: TuningObjective, spec: GPUPoolSpec, settings: DecisionSettings, setup: SimulationSetup,
                  progress: @escaping (Double) -> Void) throws -> SimulationRun {
        guard case .demand(let demand) = setup.workload else {
            throw SimulationInputs.Problem(description: "policy tuned replays demand series only; this trace is a job list")
        }
        guard tuneMaxSettings >= 1 else { throw SimulationInputs.Problem(description: "--tune-max-settings \(tuneMaxSettings): must be at least 1") }
        let every = try SimulationInputs.duration(tuneEvery, option: "--tune-every")
        guard every >= 3600 else { throw SimulationInputs.Problem(description: "--tune-every \(tuneEvery): must be at least 1h") }
        let rolling = RollingTuning(
            search: TuningSearch(objective: goal, free: spec.tunableKnobs, maxSettings: tuneMaxSettings),
            base: settings, startup: setup.startup, seed: setup.seed, interval: every,
            earliestScored: min(86_400, setup.warmup))
        return rolling.run(trace: demand, start: setup.start, scoreFrom: setup.warmup, record: setup.recordSteps, progress: progress).run
    }

    /// The report's frontier when the compare includes tuning: the settings a search in hindsight
    /// tries over the scored days (as `fleetcast tune --from <warm-up>` does) and the reference
    /// families swept over their own knob (as `--families` does), drawn by `FrontierChart` with the
    /// causally tuned row marked on it — so the report shows how far rolling tuning lands from the
    /// best that hindsight could pick.
    func frontier(goal: TuningObjective, spec: GPUPoolSpec, settings: DecisionSettings, setup: SimulationSetup,
                  tuned: SimulationRun) -> (svg: String, caption: String)? {
        guard case .demand(let demand) = setup.workload else { return nil }
        let history = TuningHistory(demand: demand, start: setup.start, replayFrom: max(0, setup.warmup - 86_400), scoreFrom: setup.warmup)
        var evaluator = ReplayEvaluator(history: history, base: settings, startup: setup.startup, seed: setup.seed, waitQuantile: goal.waitQuantile)
        let outcome = TuningSearch(objective: goal, free: spec.tunableKnobs, maxSettings: tuneMaxSettings).run(&evaluator)
        let points = outcome.points + evaluator.sweepReferenceFamilies()
        let days = String(format: "%.0f", history.scoredDays)
        let svg = FrontierChart.svg(points, title: "cost versus served over \(days) scored days (\(goal.description))", target: goal.servedFraction,
                                    marks: [FrontierChart.Mark(label: "tuned (rolling)", cost: tuned.result.cost, servedFraction: tuned.result.servedFraction)])
        let caption = "Each line is one policy family swept over its own knobs on the scored days, in hindsight: predictive over the "
            + "\(outcome.tried.count) settings a search for the objective tried, reactive with a warm pool of k nodes, static, and yesterday "
            + "with a margin. The diamond is the tuned row, tuned causally (each day on the days before). Unserved share on a log scale."
        return (svg, caption)
    }
}
