import FleetcastCLI
import Foundation
import KubeAPI
import Operator
import PoolPolicy
import Testing
import Traces
@testable import fleetcast

/// Issue #21: a job-list trace's `schedule` column teaches `fleetcast simulate --cronjobs` a CronJob's
/// window length exactly as the operator learns it from the CronJob's Jobs, as of each instant.
@Suite struct TraceScheduleLearningTests {
    static let start = Date(timeIntervalSince1970: 1_767_571_200)  // 2026-01-05T00:00:00Z

    /// One run of the CronJob: it starts `at` hours after `start`, and its pods (one trace row each)
    /// take these minutes; the Job completes when the last pod does.
    struct Run: Sendable {
        var at: Double
        var podMinutes: [Double]
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var runs: [Run]
        var deadline: Int64?
        /// Hours after `start` to compare at, and the window length in minutes both must know then.
        var expected: [(hours: Double, minutes: Double)]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no runs, no deadline: an hour", runs: [], deadline: nil, expected: [(0, 60), (100, 60)]),
        Case(name: "no runs: the deadline", runs: [], deadline: 5400, expected: [(50, 90)]),
        Case(name: "a run counts once it has completed", runs: [Run(at: 1, podMinutes: [180])], deadline: 1800,
             expected: [(0, 30), (3.99, 30), (4, 180), (30, 180)]),
        Case(name: "the pods of one run are one Job", runs: [Run(at: 1, podMinutes: [60, 150, 90])], deadline: nil,
             expected: [(2.5, 60), (3.5, 150)]),
        Case(name: "the longest of the last five", runs: [300, 40, 45, 50, 42, 41].enumerated().map { Run(at: 24 * Double($0.offset), podMinutes: [$0.element]) },
             deadline: nil, expected: [(4, 60), (5, 300), (24 * 4 + 1, 300), (24 * 5 + 1, 50)]),
        Case(name: "a later run completing first", runs: [Run(at: 0, podMinutes: [600]), Run(at: 1, podMinutes: [30])], deadline: nil,
             expected: [(1.5, 30), (9.99, 30), (10, 600)]),
    ]

    static func cronJob(deadline: Int64?) -> CronJob {
        var metadata = ObjectMeta(name: "retrain", namespace: "default")
        metadata.uid = "cronjob-retrain"
        let pod = PodSpec(containers: [Container(name: "train", resources: ResourceRequirements(requests: ["nvidia.com/gpu": "8"]))])
        let job = JobSpec(parallelism: 3, activeDeadlineSeconds: deadline, template: PodTemplateSpec(metadata: ObjectMeta(labels: ["pool": "tiny"]), spec: pod))
        return CronJob(metadata: metadata, spec: CronJobSpec(schedule: "0 1 * * *", jobTemplate: JobTemplateSpec(spec: job)))
    }

    /// The run's Job as the operator sees it at `now`: started, and completed once its last pod is.
    static func job(_ run: Run, index: Int, of cronJob: CronJob, at now: Date) -> Job? {
        let begin = start.addingTimeInterval(run.at * 3600)
        guard begin <= now else { return nil }
        let end = begin.addingTimeInterval((run.podMinutes.max() ?? 0) * 60)
        var metadata = ObjectMeta(name: "retrain-\(index)", namespace: "default")
        metadata.ownerReferences = [OwnerReference(apiVersion: "batch/v1", kind: "CronJob", name: "retrain", uid: cronJob.metadata.uid ?? "", controller: true)]
        return Job(metadata: metadata, spec: cronJob.spec?.jobTemplate?.spec,
                   status: JobStatus(startTime: KubeTime.format(begin), completionTime: end <= now ? KubeTime.format(end) : nil))
    }

    @Test(arguments: cases)
    func traceRowsTeachWhatTheOperatorLearnsFromJobs(_ test: Case) throws {
        let spec = try PoolSelection.select(text: SimulateCommandTests.pool, file: "pool.yaml", name: nil).spec.withDefaults()
        let cronJob = Self.cronJob(deadline: test.deadline)
        let rows = test.runs.flatMap { run in
            run.podMinutes.map { TraceJob(submit: run.at * 3600, duration: $0 * 60, gpus: 8, schedule: "retrain") }
        } + [TraceJob(submit: 0, duration: 7200, gpus: 2), TraceJob(submit: 0, duration: 99_999, gpus: 1, schedule: "default/other")]
        let prior = CronJobDiscovery(cronJobs: [cronJob], jobs: [], spec: spec, nodes: []).schedules
        let replayed = try TraceScheduleRuns.replayed(discovered: prior, cronJobs: [cronJob], trace: JobList(jobs: rows), start: Self.start, file: "t.csv")
        #expect(replayed.count == (test.runs.isEmpty ? 0 : 1))
        for (hours, minutes) in test.expected {
            let now = Self.start.addingTimeInterval(hours * 3600)
            let jobs = test.runs.enumerated().compactMap { Self.job($0.element, index: $0.offset, of: cronJob, at: now) }
            let operatorDuration = try #require(CronJobDiscovery(cronJobs: [cronJob], jobs: jobs, spec: spec, nodes: []).schedules.first).demand.timing.duration
            let replayDuration = try #require(replayed.first?.schedule(at: now) ?? prior.first?.demand).timing.duration
            #expect(operatorDuration == minutes * 60, "operator at \(hours) h")
            #expect(replayDuration == operatorDuration, "replay at \(hours) h")
        }
    }

    @Test func aBareNameSharedByTwoCronJobsIsAnError() throws {
        let spec = try PoolSelection.select(text: SimulateCommandTests.pool, file: "pool.yaml", name: nil).spec.withDefaults()
        var other = Self.cronJob(deadline: nil)
        other.metadata.namespace = "team-b"
        let cronJobs = [Self.cronJob(deadline: nil), other]
        let discovered = CronJobDiscovery(cronJobs: cronJobs, jobs: [], spec: spec, nodes: []).schedules
        let trace = JobList(jobs: [TraceJob(submit: 3600, duration: 3600, gpus: 8, schedule: "retrain")])
        #expect(throws: SimulationInputs.Problem.self) {
            try TraceScheduleRuns.replayed(discovered: discovered, cronJobs: cronJobs, trace: trace, start: Self.start, file: "t.csv")
        }
        let qualified = JobList(jobs: [TraceJob(submit: 3600, duration: 7200, gpus: 8, schedule: "team-b/retrain")])
        let replayed = try TraceScheduleRuns.replayed(discovered: discovered, cronJobs: cronJobs, trace: qualified, start: Self.start, file: "t.csv")
        #expect(replayed.map(\.schedule.name) == ["team-b/retrain"])
    }
}
