import Autoscaling
import Foundation
import Sampling
import Simulation
import Testing

/// Start-ups in phases: each node draws its node start-up and every phase; the predictive policy
/// learns them apart (as the operator does) and plans with their sum.
@Suite struct PhasedStartupTests {
    /// Bursts of 24 GPUs every 20 minutes over a base of 8, for two hours.
    static let bursts = DemandTrace(step: 60, gpus: (0..<120).map { $0 % 20 >= 10 && $0 % 20 < 14 ? 24 : 8 })

    static func setup(phased: PhasedStartup?, whole: DelayDistribution) -> SimulationSetup {
        var setup = SimFixture.setup(.demand(bursts), policy: SimFixture.policy(window: 0), startup: whole, lead: 60)
        setup.leadTime = LeadTimeEstimator(prior: 60, quantile: 0.9, minimumSamples: 2)
        if let phased { setup.usePhases(phased) }
        return setup
    }

    @Test func theTotalIsTheSumOfTheNodeStartUpAndThePhasesInOrder() throws {
        let phased = try PhasedStartup(node: .fixed(60), phases: [.modelLoad: .fixed(60), .imagePull: .logNormal(p50: 180, p90: 360)])
        #expect(phased.description == "node fixed 60s + ImagePull lognormal p50=180s p90=360s + ModelLoad fixed 60s")
        var generator = SplitMix64(seed: 3)
        let draw = phased.sample(using: &generator)
        #expect(draw.node == 60)
        #expect(draw.phases[.modelLoad] == 60)
        #expect(draw.total == 120 + (draw.phases[.imagePull] ?? -1))
        #expect(phased.total.description == "fixed 60s + lognormal p50=180s p90=360s + fixed 60s")
    }

    @Test(arguments: [StartupPhase.nodeReady, .gpuReady])
    func phasesInsideTheNodeStartUpAreRefused(_ phase: StartupPhase) {
        #expect(throws: PhasedStartup.Problem.self) { try PhasedStartup(node: .fixed(60), phases: [phase: .fixed(30)]) }
    }

    /// With fixed phases the learned lead time (node 60 s + pull 240 s) equals the whole start-up's
    /// (300 s), so both runs decide alike; this is what says the phases reach the decision loop.
    @Test func fixedPhasesPlanLikeTheWholeStartUpTheyAddUpTo() throws {
        let phased = try PhasedStartup(node: .fixed(60), phases: [.imagePull: .fixed(240)])
        let inPhases = Simulator(setup: Self.setup(phased: phased, whole: .fixed(0))).run(.predictive).result
        let whole = Simulator(setup: Self.setup(phased: nil, whole: .fixed(300))).run(.predictive).result
        #expect(inPhases.cost == whole.cost)
        #expect(inPhases.unmetGPUHours == whole.unmetGPUHours)
        #expect(inPhases.scaleEvents == whole.scaleEvents)
    }

    /// Without the pull in its lead time the policy asks too late: planning on the node start-up alone
    /// (60 s) against nodes that serve after 300 s leaves demand unmet that the phased run serves.
    @Test func learningOnlyTheNodeStartUpStartsTooLate() throws {
        let phased = try PhasedStartup(node: .fixed(60), phases: [.imagePull: .fixed(240)])
        let learnsPhases = Simulator(setup: Self.setup(phased: phased, whole: .fixed(0))).run(.predictive).result
        var nodeOnly = Self.setup(phased: nil, whole: .fixed(300))
        nodeOnly.leadTime = LeadTimeEstimator(prior: 60, quantile: 0.9, minimumSamples: 1_000_000)
        let learnsNodeOnly = Simulator(setup: nodeOnly).run(.predictive).result
        #expect(learnsPhases.unmetGPUHours < learnsNodeOnly.unmetGPUHours)
    }

    @Test func aPhasedRunIsDeterministic() throws {
        let phased = try PhasedStartup(node: .logNormal(p50: 60, p90: 120), phases: [.imagePull: .logNormal(p50: 120, p90: 300)])
        let first = Simulator(setup: Self.setup(phased: phased, whole: .fixed(0))).run(.predictive).result
        let second = Simulator(setup: Self.setup(phased: phased, whole: .fixed(0))).run(.predictive).result
        #expect(first == second)
    }
}
