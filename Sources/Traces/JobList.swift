/// One job or pod of a job-list trace: it holds `gpus` from `submit` for `duration` seconds.
public struct TraceJob: Sendable, Hashable {
    /// Seconds from the trace origin.
    public var submit: Double
    public var duration: Double
    /// GPUs held while running; fractional for shared GPUs.
    public var gpus: Double
    /// Free-form class from the optional `kind` column (e.g. `LS_Running`), if present.
    public var kind: String?
    /// The CronJob that created this job, from the optional `schedule` column (`NAME` or
    /// `NAMESPACE/NAME`); nil for an ad-hoc job. `fleetcast simulate --cronjobs` learns that CronJob's
    /// window length from these rows as the operator learns it from its Jobs.
    public var schedule: String?

    public init(submit: Double, duration: Double, gpus: Double, kind: String? = nil, schedule: String? = nil) {
        self.submit = submit
        self.duration = duration
        self.gpus = gpus
        self.kind = kind
        self.schedule = schedule
    }

    /// When the job stops holding its GPUs.
    public var end: Double { submit + duration }
}

/// A job-list trace: jobs in submission order (ties keep file order).
public struct JobList: Sendable, Hashable {
    public let jobs: [TraceJob]

    public init(jobs: [TraceJob]) {
        let inOrder = zip(jobs, jobs.dropFirst()).allSatisfy { $0.submit <= $1.submit }
        self.jobs = inOrder ? jobs : jobs.enumerated()
            .sorted { ($0.element.submit, $0.offset) < ($1.element.submit, $1.offset) }
            .map(\.element)
    }

    /// GPUs running at the start of each `step` from t = 0 until the last job ends: a job counts at grid
    /// time `t` when `submit <= t < submit + duration`. This is how the published per-minute series were
    /// derived from their job lists (this view of `alibaba_dlrm_gpu_instances_jobs.csv` matches
    /// `alibaba_dlrm_gpu_instances_1min.csv` in all but 10 of 44,626 minutes, off by sub-second rounding), so a simulator can treat both formats alike.
    ///
    /// `nil` for an empty list or a step that is not positive. Cost is linear in jobs plus steps.
    public func demandSeries(step: Double = 60) -> DemandSeries? {
        guard step > 0, step.isFinite, let lastEnd = jobs.map(\.end).max(), lastEnd > 0 else { return nil }
        guard let bins = TraceLimits.gridSteps(span: lastEnd, step: step) else { return changePoints(step: step) }
        var change = [Double](repeating: 0, count: bins + 1)
        for job in jobs where job.duration > 0 {
            let first = max(0, Int((job.submit / step).rounded(.up)))
            let pastLast = min(bins, Int((job.end / step).rounded(.up)))
            guard first < pastLast else { continue }
            change[first] += job.gpus
            change[pastLast] -= job.gpus
        }
        var running = 0.0
        var values = [Double](repeating: 0, count: bins)
        for bin in 0..<bins {
            running += change[bin]
            // Sums of fractional GPUs drift by ~1e-13; snap so that an idle minute reads exactly 0.
            values[bin] = max(0, (running * 1e9).rounded() / 1e9)
        }
        return DemandSeries(start: 0, step: step, gpus: values)
    }

    /// The same step function as `demandSeries(step:)`, as samples only where the running GPUs change
    /// (on the same grid): a job list spanning decades with a handful of jobs stays a handful of
    /// samples instead of a grid too large to hold.
    func changePoints(step: Double) -> DemandSeries? {
        var changes: [(bin: Double, gpus: Double)] = []
        changes.reserveCapacity(2 * jobs.count)
        for job in jobs where job.duration > 0 {
            let first = max(0, (job.submit / step).rounded(.up))
            let pastLast = (job.end / step).rounded(.up)
            guard first < pastLast else { continue }
            changes.append((first, job.gpus))
            changes.append((pastLast, -job.gpus))
        }
        changes.sort { $0.bin < $1.bin }
        var times: [Double] = [0]
        var values: [Double] = [0]
        var running = 0.0
        var index = 0
        while index < changes.count {
            let bin = changes[index].bin
            while index < changes.count, changes[index].bin == bin {
                running += changes[index].gpus
                index += 1
            }
            let value = max(0, (running * 1e9).rounded() / 1e9)
            if bin == 0 { values[0] = value; continue }
            guard value != values[values.count - 1] else { continue }
            times.append(bin * step)
            values.append(value)
        }
        return DemandSeries(times: times, gpus: values)
    }
}
