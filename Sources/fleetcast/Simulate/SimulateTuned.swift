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
}
