import Autoscaling
import Forecasting
import Foundation
import Testing

/// The learned warm share: 1.5 × the largest relative rise within one lead time over the trailing
/// window, capped; and the decision loop holding it when `learnedMaxPercent` is set.
@Suite struct LearnedWarmCapacityTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        /// Demand per minute.
        var demand: [Double]
        var lead: TimeInterval
        var window: TimeInterval = 7 * 86_400
        var cap: Double
        var largestRise: Double
        var percent: Double
        var description: String { name }
    }

    @Test(arguments: [
        Case(name: "flat demand never rises", demand: Array(repeating: 100, count: 30), lead: 600, cap: 8, largestRise: 0, percent: 0),
        // 100 → 110 within 10 minutes: a 10 % rise, held at 1.5 × 10 = 15 %, under the cap of 20.
        Case(name: "a rise within the lead time", demand: Array(repeating: 100, count: 10) + Array(repeating: 110, count: 10),
             lead: 600, cap: 20, largestRise: 0.1, percent: 15),
        Case(name: "capped", demand: Array(repeating: 100, count: 10) + Array(repeating: 110, count: 10),
             lead: 600, cap: 8, largestRise: 0.1, percent: 8),
        // 100 → 104 → 108 → 112 one step every 5 minutes: within a 5-minute lead each rise is 4 %, within
        // 10 minutes 8 % (112 over 104).
        Case(name: "only rises within one lead time count",
             demand: Array(repeating: 100, count: 5) + Array(repeating: 104, count: 5) + Array(repeating: 108, count: 5) + Array(repeating: 112, count: 5),
             lead: 300, cap: 50, largestRise: 0.04, percent: 6),
        // From 0 to 8 GPUs: relative to one node (8 GPUs), not to zero.
        Case(name: "a rise from idle is relative to one node", demand: [0, 0, 0, 8, 8], lead: 600, cap: 100, largestRise: 1, percent: 100),
        // A rise older than the window is forgotten.
        Case(name: "old rises leave the window", demand: [100, 150] + Array(repeating: 150, count: 20), lead: 600, window: 600,
             cap: 100, largestRise: 0, percent: 0),
    ])
    func learnedShare(_ test: Case) {
        var learned = LearnedWarmCapacity(window: test.window)
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        for (minute, gpus) in test.demand.enumerated() {
            learned.record(gpus: gpus, at: start.addingTimeInterval(Double(minute) * 60), lead: test.lead, floorGPUs: 8)
        }
        #expect(abs(learned.largestRise - test.largestRise) < 1e-9)
        #expect(abs(learned.percent(cap: test.cap) - test.percent) < 1e-9)
    }

    /// A source that forecasts nothing, so the plan is demand now plus the warm pool.
    struct NoForecasts: ForecastSource {
        mutating func record(gpus: Double, at instant: Date) {}
        mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast? { nil }
    }

    @Test(arguments: [(Double?.none, 13), (Double?.some(8), 14), (Double?.some(50), 18)])
    func decisionLoopHoldsTheLearnedShare(cap: Double?, desired: Int) {
        // 8 GPUs per node; demand 80 → 100 (a 25 % rise). At 100 GPUs the plan needs 13 nodes;
        // the learned share is 1.5 × 25 = 37.5 %: capped at 8 % it is 8 GPUs (1 node), under a cap of 50
        // 37.5 GPUs (5 nodes). Without a cap the rule is off.
        let policy = PlannerPolicy(gpusPerNode: 8, maxNodes: 100,
                                   warmPool: WarmPoolPolicy(minIdleNodes: 0, learnedMaxPercent: cap),
                                   scaleDown: ScaleDownPolicy(stabilizationWindow: 0), step: 60)
        var loop = DecisionLoop(planner: Planner(policy: policy), leadTime: LeadTimeEstimator(prior: 600, quantile: 0.9),
                                forecasts: NoForecasts())
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        var last = 0
        for (minute, gpus) in [80.0, 80, 100].enumerated() {
            let observation = PoolObservation(demandGPUs: gpus, pendingGPUs: 0, nodes: NodeCounts(ready: last, starting: 0, idle: 0),
                                              requestedNodes: last)
            last = loop.step(observation, observationFresh: true, startups: [], now: start.addingTimeInterval(Double(minute) * 60)).plan.desiredNodes
        }
        #expect(last == desired)
    }
}
