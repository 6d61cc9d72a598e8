import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation

/// A GPUPool spec as the decision core reads it: the planner's policy, the lead-time estimator and
/// the forecast configuration, converted once, with defaults applied.
///
/// This is the only spec → core conversion. The operator and every CLI command (`simulate`,
/// `forecast`, `status`) go through it, so a spec means the same thing everywhere, and a schedule
/// that does not convert fails with the very `FieldError` that `GPUPoolSpec.validate()` reports for
/// it (both come from `ScheduleSpec.recurringWindow(at:)`): an `InvalidSpec` condition in the
/// operator, exit status 1 in the CLI.
public struct DecisionSettings: Sendable, Hashable {
    public var planner: PlannerPolicy
    public var leadTime: LeadTimeEstimator
    /// The standby resume-time estimator; nil without `spec.warmPool.standby`.
    public var resume: LeadTimeEstimator?
    public var forecast: ForecastConfiguration

    /// `tick` is how often the driver plans (the operator's resync period, the simulator's step),
    /// not the forecast's bin size.
    public init(spec: GPUPoolSpec, tick: TimeInterval = 60) throws(SpecConversionError) {
        let spec = spec.withDefaults()
        planner = PlannerPolicy(spec: spec, step: tick)
        leadTime = LeadTimeEstimator(spec: spec)
        resume = LeadTimeEstimator(standbyOf: spec)
        forecast = try ForecastConfiguration(spec: spec)
    }
}

/// Why a spec could not be converted: the field errors validation reports for the same spec.
public typealias SpecConversionError = SpecErrors
