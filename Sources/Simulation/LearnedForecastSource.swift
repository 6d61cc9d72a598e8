import Forecasting
import Foundation

/// The production forecast path as the operator runs it: every observed demand sample goes into a
/// `DemandHistory`; the forecaster is refitted on the operator's cadence (every completed forecast bin,
/// carrying the model forward and re-estimating it daily, as `DemandForecaster.fit(history:at:updating:)`
/// does in the operator), and in between the fitted forecaster answers every step. It only ever sees the past.
public struct LearnedForecastSource: ForecastSource {
    public var forecaster: DemandForecaster
    public var history: DemandHistory
    /// How often the model is refitted (the operator's refit cadence).
    public var refitInterval: TimeInterval
    public private(set) var fitted: FittedDemandForecaster?
    public private(set) var fits = 0
    private var lastFit: Date?

    /// `refitInterval` nil means the operator's cadence: a refit for every new forecast bin.
    public init(configuration: ForecastConfiguration, refitInterval: TimeInterval? = nil) {
        forecaster = DemandForecaster(configuration: configuration)
        // Keep a little more than the learning window, so a fit always sees the full configured history.
        history = DemandHistory(step: configuration.step, retention: configuration.history + 2 * configuration.step)
        self.refitInterval = max(configuration.step, refitInterval ?? configuration.step)
    }

    public mutating func record(gpus: Double, at instant: Date) {
        history.record(gpus: gpus, at: instant)
    }

    public mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast? {
        if fitted == nil || lastFit.map({ now.timeIntervalSince($0) >= refitInterval }) ?? true {
            fitted = forecaster.fit(history: history, at: now, updating: fitted)
            lastFit = now
            fits += 1
        }
        return fitted?.forecast(at: now, horizon: horizon)
    }
}
