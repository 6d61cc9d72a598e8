import FleetcastAPI
import Foundation

/// How long a discovered schedule's windows last, learned from the runs it has completed. The one
/// rule the operator applies to a CronJob's past Jobs and `fleetcast simulate` applies to the rows a
/// job-list trace tags with that CronJob, so a replay learns exactly what the cluster would. Pure.
public struct LearnedScheduleDuration: Sendable, Hashable {
    /// Seconds each window lasts.
    public var seconds: TimeInterval
    public var source: ScheduleDurationSource
    /// Completed runs the duration was learned from (0 unless `source` is `learnedFromJobs`).
    public var runs: Int

    /// One completed run: from its start to its completion.
    public struct Run: Sendable, Hashable {
        public var start: Date
        public var end: Date

        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }
    }

    /// Runs a learned duration looks back over.
    public static let recentRuns = 5
    /// The window of a CronJob that has never completed and sets no deadline.
    public static let defaultDuration: TimeInterval = 3600

    /// The longest of the `recentRuns` most recently completed runs (a window that closes before its
    /// run does would release nodes the run still holds), else the prior: `deadline`
    /// (`activeDeadlineSeconds`) when positive, else an hour. At most the longest window a spec may
    /// declare. Runs that end at or before they start are not completed runs and are ignored.
    public init(runs: [Run], deadline: Int64?) {
        let completed = runs.filter { $0.end > $0.start }.sorted { $0.end > $1.end }.prefix(Self.recentRuns)
        let longest = GPUPoolLimits.scheduleDuration.upperBound.seconds
        if let learned = completed.map({ $0.end.timeIntervalSince($0.start) }).max() {
            self.init(seconds: min(learned, longest), source: .learnedFromJobs, runs: completed.count)
        } else if let deadline, deadline > 0 {
            self.init(seconds: min(Double(deadline), longest), source: .activeDeadlineSeconds, runs: 0)
        } else {
            self.init(seconds: Self.defaultDuration, source: .default, runs: 0)
        }
    }

    public init(seconds: TimeInterval, source: ScheduleDurationSource, runs: Int) {
        self.seconds = seconds
        self.source = source
        self.runs = runs
    }

    /// The duration as it is known over time, causally: the prior until the first run completes, then,
    /// from each completion on, what `init(runs:deadline:)` learns from the runs completed by then
    /// (a run counts from the instant it completes). Entries are in time order, the first from
    /// `Date.distantPast`; an entry appears only where the duration changes.
    public static func timeline(runs: [Run], deadline: Int64?) -> [(from: Date, duration: LearnedScheduleDuration)] {
        var timeline = [(from: Date.distantPast, duration: LearnedScheduleDuration(runs: [], deadline: deadline))]
        let completed = runs.filter { $0.end > $0.start }.sorted { $0.end < $1.end }
        var index = 0
        while index < completed.count {
            let instant = completed[index].end
            while index < completed.count, completed[index].end == instant { index += 1 }
            let learned = LearnedScheduleDuration(runs: Array(completed[..<index]), deadline: deadline)
            if learned.seconds != timeline[timeline.count - 1].duration.seconds { timeline.append((instant, learned)) }
        }
        return timeline
    }
}

/// Where a discovered schedule's duration comes from (`status.discoveredSchedules[].durationSource`).
public enum ScheduleDurationSource: String, Sendable, Hashable, CaseIterable {
    /// The longest of the recent completed runs.
    case learnedFromJobs = "LearnedFromJobs"
    /// No completed run yet: the Job template's `activeDeadlineSeconds`.
    case activeDeadlineSeconds = "ActiveDeadlineSeconds"
    /// No completed run and no deadline: one hour.
    case `default` = "Default"
}
