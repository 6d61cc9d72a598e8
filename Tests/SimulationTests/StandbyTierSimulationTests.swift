import Autoscaling
import Foundation
import Sampling
import Simulation
import Testing

/// Issue #20: the simulator's standby tier — set up with a cold start (billed as running), suspended
/// at the standby price, resumed in the (seeded) resume delay when the running plan needs it.
@Suite struct StandbyTierSimulationTests {
    /// 40 GPUs (5 nodes) for an hour, then 80 GPUs (10 nodes) for an hour; a cold start takes 10 min, and
    /// the tier holds at least 5 standby nodes, set up during the first 10 minutes.
    static let trace = DemandTrace(step: 60, gpus: Array(repeating: 40, count: 60) + Array(repeating: 80, count: 60))

    static func setup(resume: DelayDistribution = .fixed(30), seed: UInt64 = 1) -> SimulationSetup {
        var policy = SimFixture.policy(max: 20, hourlyCost: 10)
        policy.standby = StandbyPolicy(minNodes: 5, maxNodes: 8, costRatio: 0.1)
        var setup = SimFixture.setup(.demand(trace), policy: policy, startup: .fixed(600), lead: 600, seed: seed)
        setup.resume = resume
        setup.resumeEstimator = LeadTimeEstimator(prior: 45, quantile: 0.9)
        return setup
    }

    @Test func theRiseIsServedByResumingStandbyNodes() throws {
        let run = Simulator(setup: Self.setup()).run(.tiered).result
        #expect(run.unmetGPUHours == 0)
        #expect(run.resumes == 5)
        let standbyHours = try #require(run.standbyNodeHours)
        #expect(standbyHours > 0)
        // Running node-hours at the node price, suspended ones at a tenth of it.
        #expect(SimFixture.close(run.cost, (run.nodeHours + 0.1 * standbyHours) * 10))
    }

    @Test func thePredictiveRowIsRunningOnly() {
        let runs = Simulator(setup: Self.setup()).run([.predictive, .tiered]).map(\.result)
        #expect(runs.map(\.policy) == ["predictive", "tiered"])
        #expect(runs[0].standbyNodeHours == nil && runs[0].resumes == nil)
        #expect(runs[0].unmetGPUHours == 0)
        var runningOnly = Self.setup()
        runningOnly.planner.standby = nil
        #expect(Simulator(setup: runningOnly).run([.predictive, .tiered]).map(\.result.policy) == ["predictive"])
    }

    /// Resume delays come from the one seeded generator: the same seed replays the same resumes, a slow
    /// resume (log-normal, p50 5 min) leaves part of the rise unmet.
    @Test func resumeDelaysAreSeededAndMatter() {
        let slow = DelayDistribution.logNormal(p50: 300, p90: 400)
        let first = Simulator(setup: Self.setup(resume: slow, seed: 3)).run(.tiered).result
        let again = Simulator(setup: Self.setup(resume: slow, seed: 3)).run(.tiered).result
        #expect(first == again)
        #expect(first.unmetGPUHours > 0)
    }
}
