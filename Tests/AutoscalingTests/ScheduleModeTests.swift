import Autoscaling
import Forecasting
import Foundation
import Testing

/// `Floor` and `Cap` schedule windows (issue #21): a floor raises the need, a cap limits the pool like
/// the maximum — over the warm pool and the minimum — but never below the nodes that run work.
@Suite struct ScheduleModeTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var window: ScheduledWindow
        var demand: Double
        var ready: Int
        var idle: Int
        var minNodes = 0
        var budget: Double?
        var forecastReady = true
        var expectedNodes: Int
        var expectedReason: PlanReason
        var description: String { name }
    }

    static func window(_ mode: ScheduledDemand.Mode, gpus: Double = 0, cap: Int? = nil, opensIn minutes: Double = -60) -> ScheduledWindow {
        let start = Fixture.now.addingTimeInterval(minutes * 60)
        return ScheduledWindow(name: "off-hours", start: start, end: start.addingTimeInterval(12 * 3600), gpus: gpus, mode: mode, capNodes: cap)
    }

    @Test(arguments: [
        // Off-hours at 0: an idle pool goes to zero at once, over the minimum of 2 and the warm node.
        Case(name: "cap 0 idle pool", window: window(.cap, cap: 0), demand: 0, ready: 4, idle: 4, minNodes: 2,
             expectedNodes: 0, expectedReason: .limitedBySchedule),
        // Two of four nodes run 16 GPUs of work: only the two idle ones go.
        Case(name: "cap 0 keeps busy nodes", window: window(.cap, cap: 0), demand: 16, ready: 4, idle: 2,
             expectedNodes: 2, expectedReason: .limitedBySchedule),
        // Pending work would need 5 nodes: the cap stops growth at the 2 busy ones.
        Case(name: "cap stops growth", window: window(.cap, cap: 0), demand: 40, ready: 2, idle: 0,
             expectedNodes: 2, expectedReason: .limitedBySchedule),
        // A cap of 3 still lets a small pool grow up to it.
        Case(name: "cap allows growth up to it", window: window(.cap, cap: 3), demand: 40, ready: 1, idle: 0,
             expectedNodes: 3, expectedReason: .limitedBySchedule),
        // Not open yet: the pool grows as usual (5 nodes + 1 warm).
        Case(name: "cap not open yet", window: window(.cap, cap: 0, opensIn: 5), demand: 40, ready: 1, idle: 0,
             expectedNodes: 6, expectedReason: .scaleUpForDemand),
        // The budget (2 nodes) is tighter than the cap (4): the budget is named.
        Case(name: "budget tighter than cap", window: window(.cap, cap: 4), demand: 80, ready: 1, idle: 0, budget: 20,
             expectedNodes: 2, expectedReason: .limitedByBudget),
        // Forecast not ready: the floor of 64 GPUs holds 8 nodes + 1 warm over 8 GPUs of demand.
        Case(name: "floor without forecast", window: window(.floor, gpus: 64), demand: 8, ready: 1, idle: 0, forecastReady: false,
             expectedNodes: 9, expectedReason: .scaleUpForSchedule),
        // A floor below demand changes nothing: 40 GPUs = 5 nodes + 1 warm.
        Case(name: "floor below demand", window: window(.floor, gpus: 16), demand: 40, ready: 1, idle: 0, forecastReady: false,
             expectedNodes: 6, expectedReason: .scaleUpForDemand),
    ])
    func planHonoursTheWindow(_ test: Case) {
        let policy = Fixture.policy(min: test.minNodes, hourlyCost: test.budget == nil ? nil : 10, budget: test.budget)
        let forecast = Fixture.forecast(Array(repeating: min(test.demand, 8), count: 30), ready: test.forecastReady, windows: [test.window])
        let observation = PoolObservation(demandGPUs: test.demand, nodes: NodeCounts(ready: test.ready, idle: test.idle))
        let plan = Planner(policy: policy).plan(observation: observation, forecast: forecast, leadTime: 600,
                                                state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == test.expectedNodes)
        #expect(plan.reason == test.expectedReason)
        if test.window.mode == .cap, test.window.isOpen(at: Fixture.now) {
            #expect(plan.warmNodes <= max(0, plan.desiredNodes - plan.neededNodes), "no warm node beyond what the cap leaves")
        }
    }

    @Test func capExplanationNamesTheWindowAndTheBusyNodes() {
        let forecast = Fixture.forecast(Array(repeating: 16, count: 30), windows: [Self.window(.cap, cap: 0)])
        let observation = PoolObservation(demandGPUs: 16, nodes: NodeCounts(ready: 4, idle: 2))
        let plan = Planner(policy: Fixture.policy()).plan(observation: observation, forecast: forecast, leadTime: 600,
                                                          state: PlannerState(), now: Fixture.now)
        #expect(plan.explanation == "Holding 2 nodes: off-hours caps the pool at 0 nodes until 19:00 UTC; 2 nodes running work are kept, although 16 GPUs may be needed.")
    }

    /// Leaving the window, the pool grows again for the work that waited.
    @Test func capWindowThatEndedNoLongerLimits() {
        let start = Fixture.now.addingTimeInterval(-12 * 3600)
        let ended = ScheduledWindow(name: "off-hours", start: start, end: Fixture.now, gpus: 0, mode: .cap, capNodes: 0)
        let forecast = Fixture.forecast(Array(repeating: 0, count: 30), windows: [ended])
        let plan = Planner(policy: Fixture.policy()).plan(
            observation: Fixture.observation(demand: 24, ready: 0), forecast: forecast, leadTime: 600,
            state: PlannerState(), now: Fixture.now)
        #expect(plan.desiredNodes == 4)
        #expect(plan.reason == .scaleUpForDemand)
    }
}
