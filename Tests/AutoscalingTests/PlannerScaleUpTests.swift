import Autoscaling
import Forecasting
import Foundation
import Testing

@Suite struct PlannerScaleUpTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var demand: Double
        var ready: Int
        var forecast: [Double]?
        var lead: Double  // minutes
        var expectedNodes: Int
        var expectedReason: PlanReason
        var description: String { name }
    }

    @Test(arguments: [
        // 40 GPUs now = 5 nodes, plus 1 warm (forecast ready) = 6.
        Case(name: "demand now", demand: 40, ready: 2, forecast: Array(repeating: 10, count: 30), lead: 10,
             expectedNodes: 6, expectedReason: .scaleUpForDemand),
        // Peak of 80 GPUs at minute 9 lies inside [now, now + 10 + 1 min): 10 nodes + 1 warm.
        Case(name: "forecast peak inside lead", demand: 8, ready: 2, forecast: (0..<30).map { $0 == 9 ? 80 : 8 }, lead: 10,
             expectedNodes: 11, expectedReason: .scaleUpForForecast),
        // The same peak at minute 11 lies outside the window: only the 8 GPUs now (1 node) + 1 warm.
        Case(name: "forecast peak after window", demand: 8, ready: 1, forecast: (0..<30).map { $0 == 11 ? 80 : 8 }, lead: 10,
             expectedNodes: 2, expectedReason: .scaleUpForWarmPool),
        // Minute 10 is the last bin of the window [0, 11 min).
        Case(name: "forecast peak at window end", demand: 8, ready: 1, forecast: (0..<30).map { $0 == 10 ? 80 : 8 }, lead: 10,
             expectedNodes: 11, expectedReason: .scaleUpForForecast),
        // A forecast below current demand never lowers the plan: the reactive floor wins.
        Case(name: "forecast undershoots", demand: 33, ready: 1, forecast: Array(repeating: 4, count: 30), lead: 10,
             expectedNodes: 6, expectedReason: .scaleUpForDemand),
        // Already covered: 6 ready nodes hold 40 GPUs + 1 warm.
        Case(name: "steady", demand: 40, ready: 6, forecast: Array(repeating: 40, count: 30), lead: 10,
             expectedNodes: 6, expectedReason: .steady),
        // No forecast at all: demand now plus the warm pool.
        Case(name: "no forecast", demand: 9, ready: 0, forecast: nil, lead: 10,
             expectedNodes: 3, expectedReason: .scaleUpForDemand),
    ])
    func scaleUp(_ test: Case) {
        let planner = Planner(policy: Fixture.policy())
        let plan = planner.plan(
            observation: Fixture.observation(demand: test.demand, ready: test.ready),
            forecast: test.forecast.map { Fixture.forecast($0) },
            leadTime: Fixture.minutes(test.lead), state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == test.expectedNodes)
        #expect(plan.reason == test.expectedReason)
        #expect(plan.replicas == test.expectedNodes)
        #expect(plan.state.scaleDownWantedSince == nil)
    }

    @Test func notReadyForecastFallsBackToDemandSchedulesAndWarmPool() {
        let start = Fixture.now.addingTimeInterval(9 * 60)
        let window = ScheduledWindow(name: "nightly-retrain", start: start, end: start.addingTimeInterval(3 * 3600), gpus: 32)
        // The learned part says 200 GPUs, but it is not ready, so it must be ignored.
        let forecast = Fixture.forecast(Array(repeating: 200, count: 30), ready: false, windows: [window])
        let plan = Planner(policy: Fixture.policy()).plan(
            observation: Fixture.observation(demand: 16, ready: 2), forecast: forecast,
            leadTime: 11 * 60, state: PlannerState(), now: Fixture.now)
        // 16 now + 32 scheduled = 48 GPUs = 6 nodes, + 1 warm.
        #expect(plan.neededGPUs == 48)
        #expect(plan.desiredNodes == 7)
        #expect(!plan.usedForecast)
        #expect(plan.reason == .scaleUpForSchedule)
        #expect(plan.driver == .schedule(name: "nightly-retrain", startsAt: start))
        #expect(plan.explanation.contains("nightly-retrain needs 48 GPUs at 08:09 UTC, 9 min away, and a new node takes 11 min to serve"))
    }

    @Test func runningScheduleIsNotCountedTwiceWithoutForecast() {
        let start = Fixture.now.addingTimeInterval(-600)
        let window = ScheduledWindow(name: "batch", start: start, end: start.addingTimeInterval(3600), gpus: 32)
        let plan = Planner(policy: Fixture.policy(warm: (0, nil))).plan(
            observation: Fixture.observation(demand: 40, ready: 5),
            forecast: Fixture.forecast([], ready: false, windows: [window]),
            leadTime: 600, state: PlannerState(), now: Fixture.now)
        #expect(plan.neededGPUs == 40)
        #expect(plan.desiredNodes == 5)
    }

    @Test func headroomWritesSpareNodesAndForecastOnlyDoesNotActuate() {
        let forecast = Fixture.forecast(base: 16, peak: 64, at: 5..<8)
        let headroom = Planner(policy: Fixture.policy(semantics: .headroom, mode: .forecastOnly)).plan(
            observation: Fixture.observation(demand: 16, ready: 3), forecast: forecast,
            leadTime: 600, state: PlannerState(), now: Fixture.now)
        // Need 64 GPUs = 8 nodes + 1 warm = 9; current demand fills 2 nodes, so hold 7 spare.
        #expect(headroom.desiredNodes == 9)
        #expect(headroom.replicas == 7)
        #expect(!headroom.actuate)
        #expect(Planner(policy: Fixture.policy()).plan(
            observation: Fixture.observation(demand: 16, ready: 3), forecast: forecast,
            leadTime: 600, state: PlannerState(), now: Fixture.now).actuate)
    }

    @Test(arguments: [
        // (demand now, expected need): forecast upper 16 now and 40 at minute 5.
        (16.0, 40.0),   // on forecast: the forecast's peak
        (12.0, 40.0),   // below forecast: nothing changes
        (24.0, 48.0),   // 8 GPUs above the forecast for now: the whole window is raised by 8
    ])
    func demandAboveTheForecastRaisesTheWindow(demand: Double, need: Double) {
        let plan = Planner(policy: Fixture.policy()).plan(
            observation: Fixture.observation(demand: demand, ready: 1), forecast: Fixture.forecast(base: 16, peak: 40, at: 5..<6),
            leadTime: 600, state: PlannerState(), now: Fixture.now)
        #expect(plan.neededGPUs == need)
    }
}
