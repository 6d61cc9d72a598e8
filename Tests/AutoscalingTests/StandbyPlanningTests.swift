import Autoscaling
import Forecasting
import Foundation
import Testing

/// Issue #20: the planner splits warm capacity into running nodes (rises faster than a resume),
/// standby nodes (rises faster than a cold start) and nothing (left to the forecast).
@Suite struct StandbyPlanningTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var standby: StandbyPolicy
        var readyStandby: Int
        var rise: Bool = true
        var maxNodes: Int = 100
        var hourlyCost: Double?
        var budget: Double?
        var resume: TimeInterval = 60
        var running: Int
        var standbyNodes: Int
        var reason: StandbyReason
        var uncovered: Int
        var description: String { name }
    }

    // 80 GPUs (10 nodes) now and over the 1-minute resume horizon; 160 GPUs (20 nodes) from minute 5,
    // inside the 10-minute cold-start horizon: a rise of 10 nodes that standby can cover.
    @Test(arguments: [
        Case(name: "ready standby covers the rise: running holds the resume horizon only",
             standby: StandbyPolicy(maxNodes: 20), readyStandby: 10, running: 10, standbyNodes: 10, reason: .coversForecastRise, uncovered: 0),
        Case(name: "no standby ready yet: the rise is held running meanwhile",
             standby: StandbyPolicy(maxNodes: 20), readyStandby: 0, running: 20, standbyNodes: 10, reason: .coversForecastRise, uncovered: 10),
        Case(name: "standby maximum: the rest of the rise stays running",
             standby: StandbyPolicy(maxNodes: 4), readyStandby: 4, running: 16, standbyNodes: 4, reason: .limitedByStandbyMaximum, uncovered: 6),
        // 25 % of 80 GPUs = 20 GPUs = 3 nodes.
        Case(name: "percent of the plan without a forecast rise",
             standby: StandbyPolicy(maxNodes: 20, percent: 25), readyStandby: 3, rise: false, running: 10, standbyNodes: 3, reason: .percentOfPlan, uncovered: 0),
        Case(name: "minimum without a forecast rise",
             standby: StandbyPolicy(minNodes: 2, maxNodes: 20), readyStandby: 0, rise: false, running: 10, standbyNodes: 2, reason: .minimum, uncovered: 0),
        Case(name: "running and standby together stay within nodes.max",
             standby: StandbyPolicy(maxNodes: 20), readyStandby: 10, maxNodes: 15, running: 10, standbyNodes: 5, reason: .limitedByMaximum, uncovered: 0),
        // 10 running nodes cost 100 of 105; the 5 left buy 5 standby nodes at 1 each.
        Case(name: "the budget pays running nodes first, standby at its own price",
             standby: StandbyPolicy(maxNodes: 20, costRatio: 0.1), readyStandby: 10, hourlyCost: 10, budget: 105,
             running: 10, standbyNodes: 5, reason: .limitedByBudget, uncovered: 0),
        Case(name: "standby as dear as running: the running-only plan and the minimum",
             standby: StandbyPolicy(minNodes: 1, maxNodes: 20, costRatio: 1), readyStandby: 10, running: 20, standbyNodes: 1, reason: .notCheaper, uncovered: 0),
        Case(name: "a resume no faster than a cold start: the running-only plan",
             standby: StandbyPolicy(maxNodes: 20), readyStandby: 10, resume: 900, running: 20, standbyNodes: 0, reason: .resumeNotFaster, uncovered: 0),
    ])
    func splitsWarmCapacityIntoTiers(_ test: Case) {
        var policy = Fixture.policy(max: test.maxNodes, warm: (0, nil), hourlyCost: test.hourlyCost, budget: test.budget)
        policy.standby = test.standby
        var observation = Fixture.observation(demand: 80, ready: 10)
        observation.standby = StandbyCounts(ready: test.readyStandby)
        let forecast = test.rise ? Fixture.forecast(base: 80, peak: 160, at: 5..<30, length: 30) : Fixture.forecast(Array(repeating: 80, count: 30))
        let plan = Planner(policy: policy).plan(observation: observation, forecast: forecast, leadTime: Fixture.minutes(10),
                                                resumeTime: test.resume, state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == test.running)
        #expect(plan.standby?.nodes == test.standbyNodes)
        #expect(plan.standby?.reason == test.reason)
        #expect(plan.standby?.uncoveredNodes == test.uncovered)
        #expect(plan.desiredNodes + (plan.standby?.nodes ?? 0) <= test.maxNodes)
        if let budget = test.budget, let price = test.hourlyCost {
            #expect(Double(plan.desiredNodes) * price + Double(plan.standby?.nodes ?? 0) * price * test.standby.costRatio <= budget + 1e-9)
        }
    }

    /// The running tier plans the forecast's mean over the resume horizon; the standby tier covers the
    /// spread up to the planned quantile over the cold-start horizon.
    @Test func holdsTheForecastSpreadOnStandby() {
        var policy = Fixture.policy(warm: (0, nil))
        policy.standby = StandbyPolicy(maxNodes: 50)
        let points = (0..<30).map { ForecastPoint(start: Fixture.now.addingTimeInterval(Double($0) * 60), mean: 80, upper: 120) }
        let forecast = Forecast(model: "spread", origin: Fixture.now, step: 60, quantile: 0.95, readiness: .ready, points: points)
        var observation = Fixture.observation(demand: 80, ready: 10)
        observation.standby = StandbyCounts(ready: 5)
        let plan = Planner(policy: policy).plan(observation: observation, forecast: forecast, leadTime: 600, resumeTime: 60,
                                                state: PlannerState(), now: Fixture.now)
        // Running: the 80-GPU mean (10 nodes); standby: the 40 GPUs up to the 120-GPU quantile (5 nodes).
        #expect(plan.desiredNodes == 10)
        #expect(plan.standby == StandbyPlan(nodes: 5, reason: .coversForecastRise, resumeTime: 60, runningGPUs: 80, standbyGPUs: 40,
                                            uncoveredNodes: 0))
        #expect(plan.explanation.contains("Running nodes cover 80 GPUs within the 1 min resume; 5 nodes on standby cover up to 40 GPUs more within the 10 min start-up"))
        // Without ready standby nodes, the spread is held running until they are there.
        observation.standby = StandbyCounts()
        let short = Planner(policy: policy).plan(observation: observation, forecast: forecast, leadTime: 600, resumeTime: 60,
                                                 state: PlannerState(), now: Fixture.now)
        #expect(short.desiredNodes == 15)
        #expect(short.standby?.uncoveredNodes == 5)
        #expect(short.explanation.contains("(5 nodes held running until standby nodes are ready)"))
        // Running nodes short of the forecast's mean come from standby, and the sentence says so.
        observation = Fixture.observation(demand: 40, ready: 5)
        observation.standby = StandbyCounts(ready: 5)
        let rising = Planner(policy: policy).plan(observation: observation, forecast: forecast, leadTime: 600, resumeTime: 60,
                                                  state: PlannerState(), now: Fixture.now)
        #expect(rising.desiredNodes == 10)
        #expect(rising.explanation.hasPrefix("Scaling up from 5 to 10 nodes: the forecast needs 80 GPUs at 08:00 UTC, 0 min away, and a standby node takes 1 min to serve."))
    }

    /// A pool without a standby tier plans exactly as before, whatever resume time a driver passes.
    @Test(arguments: [0.0, 60, 600])
    func withoutStandbyThePlanIsTheRunningOnlyPlan(resume: TimeInterval) {
        let planner = Planner(policy: Fixture.policy(warm: (1, nil)))
        let observation = Fixture.observation(demand: 80, ready: 10)
        let forecast = Fixture.forecast(base: 80, peak: 160, at: 5..<30, length: 30)
        let before = planner.plan(observation: observation, forecast: forecast, leadTime: 600, state: PlannerState(), now: Fixture.now)
        let after = planner.plan(observation: observation, forecast: forecast, leadTime: 600, resumeTime: resume,
                                 state: PlannerState(), now: Fixture.now)
        #expect(before == after)
        #expect(after.standby == nil)
    }

    /// Over many demands, pool sizes and budgets: running plus standby never exceed `maxNodes`, the
    /// standby tier never exceeds its maximum, and both together never exceed the budget.
    @Test func neverAboveTheMaximumOrTheBudget() {
        for maxNodes in [5, 12, 30] {
            for budget in [nil, 60.0, 150, 400] {
                for demand in stride(from: 0.0, through: 300, by: 37) {
                    for ready in [0, 3, 8] {
                        var policy = Fixture.policy(max: maxNodes, warm: (1, nil), hourlyCost: budget == nil ? nil : 10, budget: budget)
                        policy.standby = StandbyPolicy(minNodes: 1, maxNodes: min(8, maxNodes), percent: 20, costRatio: 0.1)
                        var observation = Fixture.observation(demand: demand, ready: Int(demand / 8))
                        observation.standby = StandbyCounts(ready: ready)
                        let plan = Planner(policy: policy).plan(
                            observation: observation, forecast: Fixture.forecast(base: demand, peak: demand * 1.5, at: 4..<30, length: 30),
                            leadTime: 600, resumeTime: 45, state: PlannerState(), now: Fixture.now)
                        let standby = plan.standby?.nodes ?? 0
                        #expect(plan.desiredNodes + standby <= maxNodes)
                        #expect(standby <= min(8, maxNodes))
                        if let budget {
                            #expect(Double(plan.desiredNodes) * 10 + Double(standby) * 1 <= budget + 1e-9)
                        }
                    }
                }
            }
        }
    }
}
