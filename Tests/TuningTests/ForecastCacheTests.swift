import Forecasting
import Foundation
import Simulation
import Testing
import Tuning

/// The cache is only an optimisation: a replay answered from it must be the replay the simulator
/// runs with the production forecaster, step for step.
@Suite struct ForecastCacheTests {
    @Test(arguments: [0.9, 0.99])
    func cachedReplayEqualsLiveReplay(quantile: Double) {
        var settings = TuningFixture.settings()
        settings.forecast.quantile = quantile
        let demand = TuningFixture.demand(days: 3)
        let configuration = settings.forecast
        let cache = ForecastCache(trace: demand, start: TuningFixture.start, step: 60, configuration: configuration, refitInterval: nil,
                                  horizon: ForecastCache.horizon(leadTimeBound: 3600, step: 60))
        func setup(_ source: @escaping @Sendable () -> any ForecastSource) -> SimulationSetup {
            SimulationSetup(workload: .demand(demand), start: TuningFixture.start, planner: settings.planner, leadTime: settings.leadTime,
                            startup: .logNormal(p50: 360, p90: 720), warmup: 86_400, seed: 2, recordSteps: true, makeForecastSource: source)
        }
        let live = Simulator(setup: setup { LearnedForecasts(configuration: configuration) }).run(.predictive)
        let cached = Simulator(setup: setup { CachedForecasts(cache: cache) }).run(.predictive)
        #expect(cached.result == live.result)
        #expect(cached.steps == live.steps)
        // The forecaster became ready within the replay, so the comparison covers forecasts, not only their absence.
        #expect(cache.forecasts.contains { $0?.readiness.isReady == true })
    }
}
