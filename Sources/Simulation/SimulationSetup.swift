import Autoscaling
import Forecasting
import Foundation
import Sampling

/// Everything one comparison needs: the trace, where it sits on the calendar, the pool's policy,
/// how nodes start, what is warm-up, and the seed.
public struct SimulationSetup: Sendable {
    public var workload: Workload
    /// The absolute instant of trace offset 0 (schedules and seasonality are calendar-based).
    public var start: Date
    /// The pool as the planner sees it (GPUs per node, min/max, warm pool, scale-down, budget, price).
    public var planner: PlannerPolicy
    /// The lead-time estimate the predictive policy plans with (prior and quantile from the spec).
    public var leadTime: LeadTimeEstimator
    public var startup: DelayDistribution
    /// The start-up in phases, when given (`usePhases`); `startup` is then its total.
    public private(set) var phasedStartup: PhasedStartup?
    /// Seconds from the trace start replayed as history only; metrics cover the rest.
    public var warmup: TimeInterval
    public var seed: UInt64
    /// Declared schedule windows over the whole trace (for the `scheduled` policy).
    public var schedules: [ScheduledWindow]
    /// Whether to keep the per-step trajectory (for CSV and HTML reports).
    public var recordSteps: Bool
    /// How long a standby node takes to resume (suspended → serving), for a pool with a standby tier
    /// (`planner.standby`); nil: a resume takes the standby tier's prior.
    public var resume: DelayDistribution?
    /// The resume-time estimate the tiered policy plans with (prior and quantile from the spec).
    public var resumeEstimator: LeadTimeEstimator?
    /// Builds the predictive policy's forecast source for one run (fresh, so runs do not share state).
    public var makeForecastSource: @Sendable () -> any ForecastSource

    public init(
        workload: Workload, start: Date, planner: PlannerPolicy, leadTime: LeadTimeEstimator,
        startup: DelayDistribution, warmup: TimeInterval = 0, seed: UInt64 = 1,
        schedules: [ScheduledWindow] = [], recordSteps: Bool = false,
        makeForecastSource: @escaping @Sendable () -> any ForecastSource
    ) {
        self.workload = workload
        self.start = start
        self.planner = planner
        self.leadTime = leadTime
        self.startup = startup
        self.warmup = max(0, warmup)
        self.seed = seed
        self.schedules = schedules
        self.recordSteps = recordSteps
        self.makeForecastSource = makeForecastSource
    }

    /// Starts nodes in phases: each draws its node start-up and every phase, and the predictive policy
    /// learns them apart, as the operator does from a cluster's timestamps.
    public mutating func usePhases(_ phased: PhasedStartup) {
        phasedStartup = phased
        startup = phased.total
    }

    /// The simulator's demand curve sampled per step: the trace itself, or for a job list the GPUs
    /// running per minute if every job started the moment it was submitted (its peak within the minute).
    public var idealDemand: DemandTrace {
        switch workload {
        case .demand(let trace):
            return trace
        case .jobs(let trace):
            return Self.idealDemand(of: trace, step: 60)
        }
    }

    static func idealDemand(of trace: JobTrace, step: TimeInterval) -> DemandTrace {
        let count = max(1, Int((trace.end / step).rounded(.up)))
        var changes: [(time: TimeInterval, delta: Double)] = []
        for job in trace.jobs {
            changes.append((job.submit, job.gpus))
            changes.append((job.submit + job.duration, -job.gpus))
        }
        changes.sort { ($0.time, $0.delta) < ($1.time, $1.delta) }
        var peaks = Array(repeating: 0.0, count: count)
        var level = 0.0, index = 0
        for bin in 0..<count {
            let binStart = Double(bin) * step, binEnd = binStart + step
            while index < changes.count, changes[index].time <= binStart {
                level += changes[index].delta
                index += 1
            }
            var peak = level
            while index < changes.count, changes[index].time < binEnd {
                level += changes[index].delta
                peak = max(peak, level)
                index += 1
            }
            peaks[bin] = max(peak, level, 0)
        }
        return DemandTrace(step: step, gpus: peaks)
    }
}

/// The policies a comparison can run. `yesterday` is the simple rule (yesterday's demand over the next
/// start-up time + 10 % + one warm node) that predictive must beat.
///
/// `predictive` plans running nodes only (its warm pool is idle running nodes); `tiered` is the same
/// decision loop with the pool's standby tier (`planner.standby`), and runs only when there is one.
public enum PolicyKind: String, Sendable, Hashable, CaseIterable, Codable {
    case predictive, tiered, reactive, `static`, scheduled, yesterday, oracle
}
