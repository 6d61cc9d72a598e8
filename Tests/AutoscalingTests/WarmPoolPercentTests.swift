import Autoscaling
import Forecasting
import Foundation
import Testing

/// `warmPool.minIdlePercent`: idle capacity that grows with the GPUs the plan needs, so jumps in demand
/// (which grow with the pool's level) find ready nodes in a pool of four hundred as in one of ten.
@Suite struct WarmPoolPercentTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var minIdle: Int
        var maxIdle: Int?
        var percent: Double
        var gpus: Double
        var expected: Int
        var description: String { name }
    }

    @Test(arguments: [
        Case(name: "percent off: the node count alone", minIdle: 1, maxIdle: nil, percent: 0, gpus: 3200, expected: 1),
        // 3 % of 3200 GPUs = 96 GPUs = 12 nodes of 8.
        Case(name: "percent of a large pool", minIdle: 1, maxIdle: nil, percent: 3, gpus: 3200, expected: 12),
        // 8 % of 120 GPUs = 9.6 GPUs: a fraction of a node is a whole node.
        Case(name: "rounded up to whole nodes", minIdle: 0, maxIdle: nil, percent: 8, gpus: 120, expected: 2),
        // 8 % of 40 GPUs = 3.2 GPUs = 1 node, below the 2 nodes asked for by count.
        Case(name: "the count wins when larger", minIdle: 2, maxIdle: nil, percent: 8, gpus: 40, expected: 2),
        // 10 % of 800 GPUs = 10 nodes, capped at 4 idle nodes.
        Case(name: "capped by maxIdleNodes", minIdle: 1, maxIdle: 4, percent: 10, gpus: 800, expected: 4),
        Case(name: "no demand, no proportional part", minIdle: 1, maxIdle: nil, percent: 10, gpus: 0, expected: 1),
    ])
    func idleNodes(_ test: Case) {
        let pool = WarmPoolPolicy(minIdleNodes: test.minIdle, maxIdleNodes: test.maxIdle, minIdlePercent: test.percent)
        #expect(pool.idleNodes(forNeededGPUs: test.gpus, gpusPerNode: 8) == test.expected)
    }

    @Test(arguments: [(-5.0, 0.0), (150, 100), (.nan, 0), (7.5, 7.5)])
    func percentIsClampedToAShare(_ given: Double, _ kept: Double) {
        #expect(WarmPoolPolicy(minIdlePercent: given).minIdlePercent == kept)
    }

    @Test func plannerHoldsThePercentOnTopOfTheForecastPeak() {
        var policy = Fixture.policy(warm: (1, nil))
        policy.warmPool.minIdlePercent = 5
        let planner = Planner(policy: policy)
        // The window's peak is 320 GPUs (40 nodes); 5 % of it is 16 GPUs = 2 warm nodes, not 1.
        let plan = planner.plan(
            observation: Fixture.observation(demand: 300, ready: 38),
            forecast: Fixture.forecast(Array(repeating: 320, count: 30)),
            leadTime: Fixture.minutes(10), state: PlannerState(), now: Fixture.now)
        #expect(plan.neededNodes == 40)
        #expect(plan.warmNodes == 2)
        #expect(plan.desiredNodes == 42)
        #expect(plan.reason == .scaleUpForForecast)
    }

    @Test func scaleDownKeepsThePercentOfTheLowerNeed() {
        var policy = Fixture.policy(warm: (0, nil), window: 0, perStep: 100)
        policy.warmPool.minIdlePercent = 10
        let planner = Planner(policy: policy)
        // Demand and forecast fell to 160 GPUs (20 nodes); 10 % of it is 2 warm nodes: 22 of the 30.
        let plan = planner.plan(
            observation: Fixture.observation(demand: 160, ready: 30),
            forecast: Fixture.forecast(Array(repeating: 160, count: 60)),
            leadTime: Fixture.minutes(10), state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == 22)
        #expect(plan.reason == .scaleDown)
    }
}
