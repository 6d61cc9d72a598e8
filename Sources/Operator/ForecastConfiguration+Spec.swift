import Cron
import FleetcastAPI
import Forecasting
import Foundation

extension ForecastConfiguration {
    /// The forecaster a pool's spec asks for, defaults applied. Only called on a validated spec, but a
    /// schedule whose cron or time zone still fails to parse is left out rather than trapping:
    /// validation reports it under its field path.
    init(spec: GPUPoolSpec) {
        let spec = spec.withDefaults()
        let schedules: [ScheduledDemand] = (spec.schedules ?? []).compactMap { schedule in
            guard let expression = try? CronExpression(parsing: schedule.cron),
                  let zone = TimeZone(identifier: schedule.effectiveTimeZone) else { return nil }
            let window = RecurringWindow(expression: expression, timeZone: zone, duration: schedule.duration.seconds)
            return ScheduledDemand(name: schedule.name, window: window, gpus: Double(schedule.gpus))
        }
        self.init(
            step: spec.effectiveStep.seconds,
            seasonalities: spec.effectiveSeasonalities.map(\.seconds),
            history: spec.effectiveHistory.seconds,
            quantile: spec.effectiveForecastQuantile,
            schedules: schedules)
    }
}
