import Autoscaling
import Forecasting
import Foundation
import Testing

@Suite struct PlannerScaleDownTests {
    let planner = Planner(policy: Fixture.policy(window: 900, perStep: 2))
    let flat = Fixture.forecast(Array(repeating: 8, count: 60))  // 1 node + 1 warm = 2

    @Test func firstLowerPlanStartsTheStabilizationWindow() {
        let plan = planner.plan(observation: Fixture.observation(demand: 8, ready: 10), forecast: flat,
                                leadTime: 600, state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == 10)
        #expect(plan.reason == .scaleDownStabilizing)
        #expect(plan.state.scaleDownWantedSince == Fixture.now)
        #expect(plan.explanation.contains("15 min more"))
    }

    @Test(arguments: [
        // (seconds since scale-down was first wanted, expected nodes, expected reason)
        (0.0, 10, PlanReason.scaleDownStabilizing),
        (899.0, 10, .scaleDownStabilizing),
        (900.0, 8, .scaleDown),
        (5000.0, 8, .scaleDown),
    ])
    func scaleDownWaitsThenMovesAtMostMaxNodesPerStep(since: Double, expected: Int, reason: PlanReason) {
        let state = PlannerState(scaleDownWantedSince: Fixture.now.addingTimeInterval(-since))
        let plan = planner.plan(observation: Fixture.observation(demand: 8, ready: 10), forecast: flat,
                                leadTime: 600, state: state, now: Fixture.now)
        #expect(plan.desiredNodes == expected)
        #expect(plan.reason == reason)
        #expect(plan.state.scaleDownWantedSince == state.scaleDownWantedSince)
    }

    @Test func lastStepReachesTargetAndClearsTheWindow() {
        let state = PlannerState(scaleDownWantedSince: Fixture.now.addingTimeInterval(-1000))
        let plan = planner.plan(observation: Fixture.observation(demand: 8, ready: 3), forecast: flat,
                                leadTime: 600, state: state, now: Fixture.now)
        #expect(plan.desiredNodes == 2)
        #expect(plan.state.scaleDownWantedSince == nil)
        #expect(plan.state.lastScaleTime == Fixture.now)
    }

    @Test func higherPlanClearsAPendingScaleDown() {
        let state = PlannerState(scaleDownWantedSince: Fixture.now.addingTimeInterval(-600))
        let plan = planner.plan(observation: Fixture.observation(demand: 8, ready: 2), forecast: flat,
                                leadTime: 600, state: state, now: Fixture.now)
        #expect(plan.reason == .steady)
        #expect(plan.state.scaleDownWantedSince == nil)
    }

    @Test(arguments: [
        // (peak minute, expected nodes, expected reason): lead 10 min, step 1 min; the scale-up window is
        // [0, 11) and the embargo horizon [0, 21). A peak of 64 GPUs (8 + 1 warm = 9 nodes) inside the
        // embargo horizon keeps all 10 nodes... except the 1 node above what the peak needs.
        (15, 9, PlanReason.scaleDown),
        (20, 9, .scaleDown),
        (21, 8, .scaleDown),
    ])
    func embargoKeepsNodesTheForecastNeedsAgainWithinTheLeadTime(peak: Int, expected: Int, reason: PlanReason) {
        let forecast = Fixture.forecast(base: 8, peak: 64, at: peak..<(peak + 5))
        let state = PlannerState(scaleDownWantedSince: Fixture.now.addingTimeInterval(-3600))
        let plan = planner.plan(observation: Fixture.observation(demand: 8, ready: 10), forecast: forecast,
                                leadTime: 600, state: state, now: Fixture.now)
        #expect(plan.desiredNodes == expected)
        #expect(plan.reason == reason)
        #expect((plan.embargo != nil) == (peak <= 20))
    }

    @Test func fullEmbargoHoldsEveryNodeAndNamesTheSchedule() {
        let start = Fixture.now.addingTimeInterval(15 * 60)
        let window = ScheduledWindow(name: "nightly-retrain", start: start, end: start.addingTimeInterval(3600), gpus: 80)
        var uppers = Array(repeating: 8.0, count: 60)
        for minute in 15..<60 { uppers[minute] = 88 }
        let forecast = Fixture.forecast(uppers, windows: [window])
        let state = PlannerState(scaleDownWantedSince: Fixture.now.addingTimeInterval(-3600))
        let plan = planner.plan(observation: Fixture.observation(demand: 8, ready: 10), forecast: forecast,
                                leadTime: 600, state: state, now: Fixture.now)
        #expect(plan.desiredNodes == 10)
        #expect(plan.reason == .scaleDownEmbargoed)
        #expect(plan.embargo == ScaleDownEmbargo(nodesNeeded: 12, neededAt: start, schedule: "nightly-retrain"))
        #expect(plan.explanation == "Holding 10 nodes: nightly-retrain needs 12 nodes at 08:15 UTC, 15 min away, and a new node takes 10 min to serve.")
    }
}

@Suite struct PlannerLimitTests {
    @Test(arguments: [
        // (demand GPUs, ready nodes, min, max, hourly cost, budget, expected, reason, budgetLimited)
        (80.0, 2, 0, 100, 10.0, 45.0, 4, PlanReason.limitedByBudget, true),   // budget pays for 4
        (80.0, 10, 0, 100, 10.0, 45.0, 4, .limitedByBudget, true),            // over budget: down at once
        (80.0, 2, 0, 6, nil, nil, 6, .limitedByMaximum, false),
        (80.0, 9, 0, 6, nil, nil, 6, .limitedByMaximum, false),               // over max: down at once
        (0.0, 0, 5, 10, nil, nil, 5, .scaleUpToMinimum, false),
        (0.0, 0, 5, 10, 10.0, 30.0, 3, .limitedByBudget, true),               // budget wins over min
        (0.0, 0, 0, 10, 10.0, nil, 1, .scaleUpForWarmPool, false),            // a price without budget
    ] as [(Double, Int, Int, Int, Double?, Double?, Int, PlanReason, Bool)])
    func limits(demand: Double, ready: Int, min: Int, max: Int, cost: Double?, budget: Double?,
                expected: Int, reason: PlanReason, budgetLimited: Bool) {
        let planner = Planner(policy: Fixture.policy(min: min, max: max, hourlyCost: cost, budget: budget))
        let plan = planner.plan(observation: Fixture.observation(demand: demand, ready: ready),
                                forecast: Fixture.forecast(Array(repeating: demand, count: 30)),
                                leadTime: 600, state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == expected)
        #expect(plan.reason == reason)
        #expect(plan.budgetLimited == budgetLimited)
    }
}

@Suite struct LeadTimeEstimatorTests {
    @Test(arguments: [
        // (samples in minutes, expected lead in minutes, source)
        ([], 8.0, LeadTimeSource.prior),
        ([5, 6, 7, 20], 8.0, .prior),                       // fewer than 5 samples
        ([5, 6, 7, 8, 9], 8.6, .observed),                  // p90 of 5..9 = 8.6
        ([10, 10, 10, 10, 10, 10], 10.0, .observed),
        ([9, 5, 7, 6, 8, .nan, -1], 8.6, .observed),        // invalid samples ignored, order irrelevant
    ])
    func estimate(samples: [Double], expected: Double, source: LeadTimeSource) {
        let estimator = LeadTimeEstimator(prior: 8 * 60, quantile: 0.9, minimumSamples: 5)
        let estimate = estimator.estimate(samples: samples.map { $0 * 60 })
        #expect(abs(estimate.leadTime - expected * 60) < 1e-6)
        #expect(estimate.source == source)
    }
}

@Suite struct WarmPoolCapTests {
    @Test(arguments: [
        // (idle nodes observed, maxIdleNodes, expected nodes): 10 nodes, plan 2, window not over.
        (6, Optional(4), 8),     // 2 idle above the cap go now
        (5, Optional(4), 9),
        (4, Optional(4), 10),    // at the cap: wait for the window
        (9, Optional(1), 8),     // never more than maxNodesPerStep
        (9, nil, 10),            // no cap
    ])
    func idleAboveTheCapGoesBeforeTheWindow(idle: Int, cap: Int?, expected: Int) {
        let planner = Planner(policy: Fixture.policy(warm: (1, cap), window: 900, perStep: 2))
        let observation = PoolObservation(demandGPUs: 8, nodes: NodeCounts(ready: 10, idle: idle))
        let plan = planner.plan(observation: observation, forecast: Fixture.forecast(Array(repeating: 8, count: 60)),
                                leadTime: 600, state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == expected)
        #expect(plan.state.scaleDownWantedSince == Fixture.now)
    }

    /// Idle nodes at a schedule's opening are the ones its pods are about to take: they are not
    /// trimmed early while a declared window is open or opens within the lead time (600 s here).
    @Test(arguments: [
        // (window start, end relative to now in seconds, expected nodes): 10 nodes, 6 idle, cap 4.
        (-60.0, 1800.0, 10),   // just opened: hold for the stabilization window
        (300.0, 2100.0, 10),   // opens within the lead time
        (1200.0, 3000.0, 8),   // opens after the lead time: the 2 idle above the cap go now
        (-3600.0, -60.0, 8),   // already over
    ])
    func idleAboveTheCapStaysAroundASchedule(start: TimeInterval, end: TimeInterval, expected: Int) {
        let planner = Planner(policy: Fixture.policy(warm: (1, 4), window: 900, perStep: 2))
        let observation = PoolObservation(demandGPUs: 8, nodes: NodeCounts(ready: 10, idle: 6))
        let window = ScheduledWindow(name: "retrain", start: Fixture.now.addingTimeInterval(start),
                                     end: Fixture.now.addingTimeInterval(end), gpus: 16)
        let plan = planner.plan(observation: observation, forecast: Fixture.forecast(Array(repeating: 8, count: 60), ready: false, windows: [window]),
                                leadTime: 600, state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == expected)
    }
}
