import Foundation
import KubeAPI
import Operator
import PoolPolicy
import Simulation
import Traces

/// The runs a job-list trace's `schedule` column attributes to each CronJob of `--cronjobs`, turned
/// into the durations the operator would learn from them over time (`LearnedScheduleDuration`, the
/// rule it applies to the CronJob's Jobs), for `fleetcast simulate` to replay causally.
enum TraceScheduleRuns {
    /// Rows of one CronJob submitted at the same instant are one Job's pods: one run, from that
    /// instant until its last row ends. Offsets are seconds from `start`.
    static func runs(of jobs: [TraceJob], start: Date) -> [LearnedScheduleDuration.Run] {
        Dictionary(grouping: jobs, by: \.submit).map { submit, rows in
            LearnedScheduleDuration.Run(start: start.addingTimeInterval(submit),
                                        end: start.addingTimeInterval(rows.map(\.end).max() ?? submit))
        }
    }

    /// Each discovered schedule whose CronJob the trace names, with its durations over the replay. A
    /// row names a CronJob as `NAMESPACE/NAME`, or as `NAME` when one CronJob of the file has that name
    /// (several: an error naming them). Rows naming no discovered CronJob stay plain demand; a
    /// discovered CronJob without rows keeps its prior and is not returned.
    static func replayed(discovered: [DiscoveredSchedule], cronJobs: [CronJob], trace: JobList, start: Date,
                         file: String) throws(SimulationInputs.Problem) -> [ReplayedSchedule] {
        let names = cronJobs.map { "\($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")" }
        var rowsByCronJob: [String: [TraceJob]] = [:]
        for (reference, rows) in Dictionary(grouping: trace.jobs.filter { $0.schedule != nil }, by: { $0.schedule ?? "" }) {
            let matches = reference.contains("/") ? names.filter { $0 == reference } : names.filter { $0.hasSuffix("/" + reference) }
            guard matches.count <= 1 else {
                throw SimulationInputs.Problem(description: "\(file): schedule \"\(reference)\" names several CronJobs of --cronjobs "
                    + "(\(matches.joined(separator: ", "))); write it as NAMESPACE/NAME")
            }
            if let match = matches.first { rowsByCronJob[match, default: []] += rows }
        }
        return discovered.compactMap { found -> ReplayedSchedule? in
            guard let rows = rowsByCronJob[found.demand.name],
                  let cronJob = zip(names, cronJobs).first(where: { $0.0 == found.demand.name })?.1 else { return nil }
            let deadline = cronJob.spec?.jobTemplate?.spec?.activeDeadlineSeconds
            let timeline = LearnedScheduleDuration.timeline(runs: runs(of: rows, start: start), deadline: deadline)
            return ReplayedSchedule(schedule: found.demand,
                                    durations: timeline.map { ReplayedSchedule.DurationChange(from: $0.from, seconds: $0.duration.seconds) })
        }
    }
}
