import Autoscaling
import Foundation
import PoolPolicy
import Sampling
import Simulation
import Traces
import VirtualInfrastructure

/// What a reactive autoscaler would have done with the same demand: the `Simulation` module's
/// `reactive` policy (scale up on shortfall, like cluster-autoscaler) replayed over the demo's demand
/// series with the demo infrastructure's start-up times. Simulated, not measured.
struct DemoReactiveComparison: Sendable {
    /// GPUs waiting for capacity at the first planning step after the window opened.
    var pendingGPUsAtOpen: Double
    /// From the window opening until nothing was pending any more (nil: still pending at the end).
    var secondsUntilServed: TimeInterval?
    /// GPUs still waiting at the demo's end.
    var pendingGPUsAtEnd: Double
    /// Demand that found no ready capacity, from the window opening to the end of the demo.
    var unmetGPUMinutes: Double
    /// The start-up distribution the simulation drew node start-ups from.
    var startup: DelayDistribution

    static func simulate(_ scenario: DemoScenario, tick: TimeInterval) -> DemoReactiveComparison {
        let trace = DemandTrace(step: scenario.demandStep, gpus: scenario.demand)
        // Boot plus GPU initialisation, drawn per node exactly as the virtual infrastructure draws them
        // (the same distributions; the simulation's generator is seeded with the infrastructure's seed).
        let startup = DelayDistribution.sum(scenario.nodePool.bootDelay, scenario.nodePool.gpuInitDelay)
        let setup = SimulationSetup(
            workload: .demand(trace), start: scenario.start, planner: PlannerPolicy(spec: scenario.pool.spec, step: tick),
            leadTime: LeadTimeEstimator(spec: scenario.pool.spec), startup: startup, seed: scenario.infrastructure.seed,
            recordSteps: true,
            makeForecastSource: { KnownFutureForecastSource(trace: trace, start: scenario.start, step: scenario.demandStep) })
        let steps = Simulator(setup: setup).run(.reactive).steps
        let gpusPerNode = Double(scenario.pool.spec.nodes.gpusPerNode)
        let opens = scenario.windowStart.timeIntervalSince(scenario.start)
        let ends = scenario.end.timeIntervalSince(scenario.start)
        let pending = { (step: StepRecord) in max(0, step.demandGPUs - Double(step.readyNodes) * gpusPerNode) }
        let during = steps.filter { $0.offset >= opens && $0.offset <= ends }
        let served = during.first { pending($0) < 1e-9 }
        return DemoReactiveComparison(
            pendingGPUsAtOpen: during.first.map(pending) ?? 0,
            secondsUntilServed: served.map { $0.offset - opens },
            pendingGPUsAtEnd: during.last.map(pending) ?? 0,
            unmetGPUMinutes: during.reduce(0) { $0 + $1.unmetGPUSeconds } / 60,
            startup: startup)
    }
}
