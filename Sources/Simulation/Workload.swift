import Foundation

/// What the simulator replays: a demand series (GPUs per fixed step) or a job list. Times are
/// seconds from the trace's start; the simulator places the trace at an absolute `start` instant
/// so that schedules and seasonality line up with the calendar.
public enum Workload: Sendable, Hashable {
    case demand(DemandTrace)
    case jobs(JobTrace)

    /// Seconds from the first to the last instant the trace covers.
    public var duration: TimeInterval {
        switch self {
        case .demand(let trace): return trace.step * Double(trace.gpus.count)
        case .jobs(let trace): return trace.end
        }
    }
}

/// GPUs demanded during each `[i·step, (i+1)·step)` from the trace start.
public struct DemandTrace: Sendable, Hashable {
    public var step: TimeInterval
    public var gpus: [Double]

    public init(step: TimeInterval, gpus: [Double]) {
        self.step = step
        self.gpus = gpus
    }

    /// Demand at `offset` seconds from the trace start (0 outside the trace).
    public func demand(at offset: TimeInterval) -> Double {
        guard step > 0, offset >= 0 else { return 0 }
        let index = Int(offset / step)
        return index < gpus.count ? gpus[index] : 0
    }
}

/// Jobs (or pods) submitted over time; each needs `gpus` GPUs for `duration` seconds once placed.
public struct JobTrace: Sendable, Hashable {
    public var jobs: [SimulatedJob]
    /// When replay stops (seconds from the trace start); jobs still waiting then count as waiting until it.
    public var end: TimeInterval

    public init(jobs: [SimulatedJob], end: TimeInterval? = nil) {
        self.jobs = jobs.sorted { ($0.submit, $0.duration) < ($1.submit, $1.duration) }
        self.end = end ?? self.jobs.map { $0.submit + $0.duration }.max() ?? 0
    }
}

public struct SimulatedJob: Sendable, Hashable {
    public var submit: TimeInterval
    public var duration: TimeInterval
    public var gpus: Double

    public init(submit: TimeInterval, duration: TimeInterval, gpus: Double) {
        self.submit = submit
        self.duration = duration
        self.gpus = gpus
    }
}
