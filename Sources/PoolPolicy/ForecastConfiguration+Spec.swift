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
                schedules.append(try ScheduledDemand(schedule, at: FieldPath("spec").child("schedules").index(index)))
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

extension ScheduledDemand {
    /// The forecaster's view of one declared schedule, or the field errors validation reports for it.
    public init(_ schedule: ScheduleSpec, at path: FieldPath) throws(SpecConversionError) {
        let timing = try schedule.timing(at: path)
        let mode: Mode
        switch schedule.effectiveMode {
        case .add: mode = .add
        case .floor: mode = .floor
        case .cap: mode = .cap
        }
        self.init(name: schedule.name, timing: timing, mode: mode, gpus: Double(schedule.gpus ?? 0), capNodes: schedule.nodes ?? 0)
    }
}
