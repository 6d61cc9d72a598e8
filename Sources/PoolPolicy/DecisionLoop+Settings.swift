import Autoscaling
import Forecasting
import Foundation

extension DecisionLoop where Forecasts == LearnedForecasts {
    /// The production loop for a pool: the planner, lead time and learned forecasts its settings
    /// ask for. `refitInterval` nil refits every forecast bin (the operator's cadence).
    public init(_ settings: DecisionSettings, refitInterval: TimeInterval? = nil) {
        self.init(planner: Planner(policy: settings.planner), leadTime: settings.leadTime,
                  forecasts: LearnedForecasts(configuration: settings.forecast, refitInterval: refitInterval))
        resume = settings.resume
    }

    /// Adopts edited settings (a spec change) without losing what was learned: the history is kept
    /// while the bin size stays the same, and the next step refits under the new configuration.
    public mutating func adopt(_ settings: DecisionSettings) {
        planner = Planner(policy: settings.planner)
        leadTime = settings.leadTime
        resume = settings.resume
        forecasts.reconfigure(settings.forecast)
    }
}
