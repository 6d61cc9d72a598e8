import Autoscaling
import Foundation
import Testing

/// The lead time from asking for a node to a serving pod: node start-ups plus the phases outside them.
@Suite struct StartupPhaseLeadTimeTests {
    static let estimator = LeadTimeEstimator(prior: 600, quantile: 0.5, minimumSamples: 3)

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var nodeStartups: [TimeInterval]
        var phases: [StartupPhase: [TimeInterval]]
        var leadTime: TimeInterval
        var source: LeadTimeSource
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no samples: the prior", nodeStartups: [], phases: [:], leadTime: 600, source: .prior),
        Case(name: "phases without node start-ups: the prior stands for the whole cold start",
             nodeStartups: [100, 100], phases: [.imagePull: [300, 300, 300]], leadTime: 600, source: .prior),
        Case(name: "node start-ups only: their quantile", nodeStartups: [100, 120, 140], phases: [:], leadTime: 120, source: .observed),
        Case(name: "pull and load add to the node start-up", nodeStartups: [100, 120, 140],
             phases: [.imagePull: [200, 240, 280], .modelLoad: [50, 60, 70]], leadTime: 120 + 240 + 60, source: .phases),
        Case(name: "provisioning and scheduling add too", nodeStartups: [100, 120, 140],
             phases: [.provisioning: [30, 30, 30], .scheduling: [1, 2, 3]], leadTime: 120 + 30 + 2, source: .phases),
        Case(name: "phases inside the node start-up do not count twice", nodeStartups: [100, 120, 140],
             phases: [.nodeReady: [80, 90, 100], .gpuReady: [20, 30, 40]], leadTime: 120, source: .observed),
        Case(name: "a phase with too few samples adds nothing", nodeStartups: [100, 120, 140],
             phases: [.imagePull: [900, 900], .modelLoad: [10, 20, 30]], leadTime: 120 + 20, source: .phases),
        Case(name: "invalid samples are dropped, not zero", nodeStartups: [100, 120, 140],
             phases: [.imagePull: [-5, .nan, .infinity, 200, 200, 200]], leadTime: 320, source: .phases),
        Case(name: "the sum is capped at a day", nodeStartups: [80_000, 80_000, 80_000],
             phases: [.modelLoad: [80_000, 80_000, 80_000]], leadTime: LeadTimeEstimator.longestStartup, source: .phases),
    ]

    @Test(arguments: cases)
    func leadTime(_ testCase: Case) {
        let estimate = Self.estimator.estimate(StartupSamples(nodeStartups: testCase.nodeStartups, phases: testCase.phases))
        #expect(estimate.leadTime == testCase.leadTime)
        #expect(estimate.source == testCase.source)
    }

    @Test func phasesAreReportedInOrderWithTheirPercentiles() {
        let estimate = Self.estimator.estimate(StartupSamples(
            nodeStartups: [100, 120, 140],
            phases: [.modelLoad: [10, 20, 30], .imagePull: [100, 200, 300, 400, 500], .provisioning: []]))
        #expect(estimate.phases.map(\.phase) == [.imagePull, .modelLoad])
        let pull = estimate.phases[0]
        #expect(pull.samples == 5)
        #expect(pull.p50 == 300)
        #expect(pull.p90 == 460)
        #expect(pull.planned == 300)
        #expect(estimate.p50 == 120)
        #expect(estimate.samples == 3)
    }

    @Test func phasesAreReportedButNotPlannedWhileThePriorStands() {
        let estimate = Self.estimator.estimate(StartupSamples(nodeStartups: [], phases: [.imagePull: [100, 200, 300]]))
        #expect(estimate.phases.count == 1)
        #expect(estimate.phases[0].planned == nil)
        #expect(estimate.phases[0].p50 == 200)
    }

    @Test func theNodeOnlyEstimateIsUnchanged() {
        let samples: [TimeInterval] = [100, 120, 140, 160]
        let phased = Self.estimator.estimate(StartupSamples(nodeStartups: samples))
        let plain = Self.estimator.estimate(samples: samples)
        #expect(phased == plain)
    }
}
