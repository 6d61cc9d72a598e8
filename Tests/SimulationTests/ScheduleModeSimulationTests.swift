import Autoscaling
import Cron
import Forecasting
import Foundation
import Sampling
import Simulation
import Testing

/// The simulator honours `Cap` windows (issue #21) through the one decision loop: an off-hours cap
/// of 0 wins over the minimum and the warm pool once the pool is idle, but keeps a node that runs work.
@Suite struct ScheduleModeSimulationTests {
    @Test func offHoursCapScalesAnIdlePoolToZeroButKeepsBusyNodes() {
        // 8 GPUs for 90 minutes, nothing for 90, 8 again; the cap window is minutes 60–180.
        let trace = DemandTrace(step: 60, gpus: (0..<240).map { $0 < 90 || $0 >= 180 ? 8 : 0 })
        let capWindow = DateInterval(start: SimFixture.start.addingTimeInterval(3600), duration: 2 * 3600)
        var configuration = ForecastConfiguration.standard
        configuration.schedules = [ScheduledDemand(name: "off-hours", timing: .once(capWindow), mode: .cap, capNodes: 0)]
        let forecast = configuration
        var policy = SimFixture.policy(max: 10, warm: 1)
        policy.minNodes = 2
        let setup = SimulationSetup(
            workload: .demand(trace), start: SimFixture.start, planner: policy,
            leadTime: LeadTimeEstimator(prior: 120, quantile: 0.9, minimumSamples: 1_000_000),
            startup: .fixed(120), warmup: 0, seed: 1, recordSteps: true,
            makeForecastSource: { LearnedForecasts(configuration: forecast) })
        let steps = Simulator(setup: setup).run(.predictive).steps
        func desired(atMinute minute: Int) -> Int? { steps.last { $0.offset <= Double(minute * 60) }?.desiredNodes }
        func reason(atMinute minute: Int) -> PlanReason? { steps.last { $0.offset <= Double(minute * 60) }?.planReason }

        #expect(desired(atMinute: 30) == 2)              // the minimum (1 busy + 1 warm)
        #expect(desired(atMinute: 75) == 1)              // inside the cap: the busy node stays, the warm one goes
        #expect(reason(atMinute: 75) == .limitedBySchedule)
        #expect(desired(atMinute: 120) == 0)             // idle inside the cap: zero, below the minimum of 2
        #expect(desired(atMinute: 200) ?? 0 >= 2)        // after the window: the minimum again, and demand
    }
}
