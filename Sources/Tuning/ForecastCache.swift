import Forecasting
import Foundation
import Simulation

/// The forecasts the production forecaster makes over a demand series, computed once and replayed
/// for every setting the tuner tries.
///
/// For a demand series the decision loop's forecaster sees the same demand whatever the planner does
/// (demand is the trace; capacity only decides how much of it is served), so its forecasts depend on the
/// forecast configuration (the quantile among the knobs) and not on the other knobs. Fitting is most
/// of a predictive replay's time; caching the forecasts per quantile turns a search of dozens of
/// settings into a few fits and many cheap planner replays. `ForecastCacheTests` replays a trace both
/// ways and compares every result.
public struct ForecastCache: Sendable {
    /// The instant of the first planning step.
    public let start: Date
    /// Planning step (the simulator's, which asks once per step).
    public let step: TimeInterval
    /// How far ahead each cached forecast reaches; a loop asking for more sees only this far.
    public let horizon: TimeInterval
    public let forecasts: [Forecast?]

    /// Runs `LearnedForecasts(configuration, refitInterval)` over `trace` exactly as the decision loop
    /// would in the simulator: at every planning step from `start`, advance, record the demand, forecast.
    public init(trace: DemandTrace, start: Date, step: TimeInterval, configuration: ForecastConfiguration,
                refitInterval: TimeInterval?, horizon: TimeInterval) {
        self.start = start
        self.step = step
        self.horizon = horizon
        var source = LearnedForecasts(configuration: configuration, refitInterval: refitInterval)
        let duration = trace.step * Double(trace.gpus.count)
        var forecasts: [Forecast?] = []
        forecasts.reserveCapacity(Int(duration / step) + 1)
        var offset = 0.0
        while offset < duration {
            let now = start.addingTimeInterval(offset)
            source.advance(to: now)
            source.record(gpus: max(0, trace.demand(at: offset)), at: now)
            forecasts.append(source.forecast(at: now, horizon: horizon))
            offset += step
        }
        self.forecasts = forecasts
    }

    /// The longest horizon a decision loop asks for when start-ups follow `startup` (its 99.999th
    /// percentile, or the prior if longer): twice the lead time plus two steps (`Planner.requiredHorizon`).
    public static func horizon(leadTimeBound: TimeInterval, step: TimeInterval) -> TimeInterval {
        2 * leadTimeBound + 2 * step
    }

    /// The cached forecast for the planning step at `now`.
    public func forecast(at now: Date) -> Forecast? {
        let index = Int((now.timeIntervalSince(start) / step).rounded())
        return forecasts.indices.contains(index) ? forecasts[index] : nil
    }
}

/// A forecast source that answers from a `ForecastCache`; recording does nothing (the cache already
/// learned from the same demand).
public struct CachedForecasts: ForecastSource {
    public let cache: ForecastCache

    public init(cache: ForecastCache) {
        self.cache = cache
    }

    public mutating func record(gpus: Double, at instant: Date) {}

    public mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast? {
        cache.forecast(at: now)
    }
}
