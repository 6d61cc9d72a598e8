import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI

extension ForecastConfiguration {
    /// The forecaster a pool's spec asks for, defaults applied: step, seasonalities, history,
    /// quantile and the declared schedules. Throws the field errors validation reports for a schedule
    /// whose cron or time zone does not convert, all of them at once.
    public init(spec: GPUPoolSpec) throws(SpecConversionError) {
        let spec = spec.withDefaults()
        var schedules: [ScheduledDemand] = []
        var errors: [FieldError] = []
        for (index, schedule) in (spec.schedules ?? []).enumerated() {
            do {
                let window = try schedule.recurringWindow(at: FieldPath("spec").child("schedules").index(index))
                schedules.append(ScheduledDemand(name: schedule.name, window: window, gpus: Double(schedule.gpus)))
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw SpecConversionError(errors: errors) }
        self.init(
            step: spec.effectiveStep.seconds,
            seasonalities: spec.effectiveSeasonalities.map(\.seconds),
            history: spec.effectiveHistory.seconds,
            quantile: spec.effectiveForecastQuantile,
            schedules: schedules)
    }
}
