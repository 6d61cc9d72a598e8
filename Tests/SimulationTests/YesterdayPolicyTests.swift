import Autoscaling
import Foundation
import Testing
@testable import Simulation

/// The simple rule, by hand, with "yesterday" shortened to 5 minutes and a 2-minute start-up: demand per
/// minute is 8, 16, 40, then 8 from minute 3 on; 8 GPUs per node; margin 10 %, one warm node.
@Suite struct YesterdayPolicyTests {
    static let demand: [Double] = [8, 16, 40, 8, 8, 8, 8, 8, 8, 8]

    struct Expected: Sendable, CustomStringConvertible {
        var minute: Int
        var nodes: Int
        var description: String { "minute \(minute)" }
    }

    @Test(arguments: [
        // No yesterday yet: demand now 8 → 8.8 GPUs → 2 nodes + 1 warm.
        Expected(minute: 0, nodes: 3),
        Expected(minute: 2, nodes: 7),      // demand now 40 is the floor → 44 GPUs → 6 + 1
        Expected(minute: 4, nodes: 4),      // yesterday's [−1, 1] min: 8, 16 → 17.6 → 3 + 1
        Expected(minute: 5, nodes: 7),      // yesterday's [0, 2] min holds the 40 → 44 → 6 + 1
        Expected(minute: 7, nodes: 7),      // [2, 4] min: still the 40
        Expected(minute: 8, nodes: 3),      // [3, 5] min: 8 → 8.8 → 2 + 1
    ])
    func desiredNodes(_ expected: Expected) {
        var policy = YesterdayPolicy(
            gpusPerNode: 8, leadTime: LeadTimeEstimator(prior: 120, quantile: 0.9, minimumSamples: 1_000), period: 300)
        var decision: PolicyDecision?
        for minute in 0...expected.minute {
            let context = PolicyContext(
                now: SimFixture.start.addingTimeInterval(Double(minute) * 60), demandGPUs: Self.demand[minute],
                pendingGPUs: 0, nodes: NodeCounts(ready: 3), idleDurations: [], recentStartups: [])
            decision = policy.decide(context)
        }
        #expect(decision?.desiredNodes == expected.nodes)
    }

    /// At minute 4, node start-ups of 1 minute alone look at yesterday's [−1, 0] min (8 GPUs → 2 + 1 warm
    /// nodes); with a 2-minute image pull the lead is 3 minutes and [−1, 2] min reaches the 40 (→ 6 + 1).
    @Test func phasesLengthenTheLeadItLooksAheadBy() {
        func nodes(at minute: Int, phases: [StartupPhase: [TimeInterval]]) -> Int? {
            var policy = YesterdayPolicy(
                gpusPerNode: 8, leadTime: LeadTimeEstimator(prior: 120, quantile: 0.9, minimumSamples: 2), period: 300)
            var decision: PolicyDecision?
            for step in 0...minute {
                let context = PolicyContext(
                    now: SimFixture.start.addingTimeInterval(Double(step) * 60), demandGPUs: Self.demand[step],
                    pendingGPUs: 0, nodes: NodeCounts(ready: 3), idleDurations: [], recentStartups: [60, 60], recentPhases: phases)
                decision = policy.decide(context)
            }
            return decision?.desiredNodes
        }
        #expect(nodes(at: 4, phases: [:]) == 3)
        #expect(nodes(at: 4, phases: [.imagePull: [120, 120]]) == 7)
    }

    @Test func memoryForgetsWhatIsOlderThanItsRetention() {
        var memory = DemandMemory()
        for second in stride(from: 0.0, to: 20_000, by: 1) { memory.record(second, at: second, keeping: 100) }
        #expect(memory.peak(from: 0, to: 19_800) == nil)
        #expect(memory.peak(from: 0, to: 19_950) == 19_950)
        #expect(memory.peak(from: 19_950, to: 19_960) == 19_960)
        #expect(memory.peak(from: 30_000, to: 40_000) == nil)
    }
}
