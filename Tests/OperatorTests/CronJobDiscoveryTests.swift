import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// A CronJob in the pool's namespace whose pods request `gpus` each (issue #21).
func retrainCronJob(
    _ name: String = "retrain", namespace: String = "gpu", schedule: String = "0 2 * * *", timeZone: String? = nil,
    gpus: Int = 8, parallelism: Int32? = 2, deadline: Int64? = nil, suspend: Bool? = nil,
    labels: [String: String] = ["app": "train"], nodeSelector: [String: String]? = nil, affinity: Affinity? = nil
) -> CronJob {
    var metadata = ObjectMeta(name: name, namespace: namespace)
    metadata.uid = "cronjob-\(name)"
    var pod = PodSpec(containers: [Container(name: "train", resources: ResourceRequirements(requests: ["nvidia.com/gpu": "\(gpus)"]))],
                      nodeSelector: nodeSelector)
    pod.affinity = affinity
    let job = JobSpec(parallelism: parallelism, activeDeadlineSeconds: deadline,
                      template: PodTemplateSpec(metadata: ObjectMeta(labels: labels), spec: pod))
    return CronJob(metadata: metadata, spec: CronJobSpec(schedule: schedule, timeZone: timeZone, suspend: suspend,
                                                         jobTemplate: JobTemplateSpec(spec: job)))
}

/// A completed run of `cronJob` that started at `start` and took `minutes`.
func completedRun(of cronJob: CronJob, index: Int, start: Date, minutes: Double) -> Job {
    var metadata = ObjectMeta(name: "\(cronJob.metadata.name ?? "")-\(index)", namespace: cronJob.metadata.namespace)
    metadata.ownerReferences = [OwnerReference(apiVersion: "batch/v1", kind: "CronJob", name: cronJob.metadata.name ?? "",
                                               uid: cronJob.metadata.uid ?? "", controller: true)]
    return Job(metadata: metadata, spec: cronJob.spec?.jobTemplate?.spec,
               status: JobStatus(startTime: KubeTime.format(start), completionTime: KubeTime.format(start.addingTimeInterval(minutes * 60))))
}

@Suite struct CronJobDiscoveryTests {
    static let spec = makePool().spec
    static let start = Date(timeIntervalSince1970: 1_767_571_200)  // 2026-01-05T00:00:00Z
    static let node = gpuNode("n1", created: start)

    static func node(_ name: String, labels: [String: String]) -> KubeNode {
        KubeNode(metadata: ObjectMeta(name: name, labels: labels))
    }

    struct Selection: Sendable, CustomStringConvertible {
        var name: String
        var cronJob: CronJob
        var nodes: [KubeNode]
        var expectedGPUs: Int?
        var description: String { name }
    }

    static let gpuZone = NodeSelectorRequirement(key: "fleetcast.dev/pool", operator: "In", values: ["a100"])
    static let otherZone = NodeSelectorRequirement(key: "fleetcast.dev/pool", operator: "In", values: ["h100"])

    @Test(arguments: [
        Selection(name: "8 GPUs × parallelism 2", cronJob: retrainCronJob(), nodes: [node], expectedGPUs: 16),
        Selection(name: "parallelism unset is 1", cronJob: retrainCronJob(parallelism: nil), nodes: [node], expectedGPUs: 8),
        Selection(name: "suspended is left out", cronJob: retrainCronJob(suspend: true), nodes: [node], expectedGPUs: nil),
        Selection(name: "labels outside the demand selector", cronJob: retrainCronJob(labels: ["app": "web"]), nodes: [node], expectedGPUs: nil),
        Selection(name: "no GPU request", cronJob: retrainCronJob(gpus: 0), nodes: [node], expectedGPUs: nil),
        Selection(name: "node selector of the pool", cronJob: retrainCronJob(nodeSelector: ["fleetcast.dev/pool": "a100"]), nodes: [node], expectedGPUs: 16),
        Selection(name: "node selector of another pool", cronJob: retrainCronJob(nodeSelector: ["fleetcast.dev/pool": "h100"]), nodes: [node], expectedGPUs: nil),
        Selection(name: "required affinity to the pool", cronJob: retrainCronJob(affinity: Affinity(nodeAffinity: NodeAffinity(
            requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [NodeSelectorTerm(matchExpressions: [gpuZone])])))),
                  nodes: [node], expectedGPUs: 16),
        Selection(name: "required affinity elsewhere", cronJob: retrainCronJob(affinity: Affinity(nodeAffinity: NodeAffinity(
            requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [NodeSelectorTerm(matchExpressions: [otherZone])])))),
                  nodes: [node], expectedGPUs: nil),
        // Scaled to zero: the labels the pool's node selector requires stand in for its nodes.
        Selection(name: "no nodes, selector agrees", cronJob: retrainCronJob(nodeSelector: ["fleetcast.dev/pool": "a100"]), nodes: [], expectedGPUs: 16),
        Selection(name: "no nodes, selector contradicts", cronJob: retrainCronJob(nodeSelector: ["fleetcast.dev/pool": "h100"]), nodes: [], expectedGPUs: nil),
        // A pod asks for more than a node holds (8): counted as one node's worth per pod.
        Selection(name: "request above a node", cronJob: retrainCronJob(gpus: 64), nodes: [node], expectedGPUs: 16),
    ])
    func selectsCronJobsThatWouldRunOnThePool(_ test: Selection) {
        let discovery = CronJobDiscovery(cronJobs: [test.cronJob], jobs: [], spec: Self.spec, nodes: test.nodes)
        #expect(discovery.schedules.map(\.status.gpus) == (test.expectedGPUs.map { [$0] } ?? []))
        #expect(discovery.invalid.isEmpty)
    }

    struct Duration: Sendable, CustomStringConvertible {
        var name: String
        var runs: [Double]  // minutes, oldest first
        var deadline: Int64?
        var expected: KubeDuration
        var source: String
        var description: String { name }
    }

    @Test(arguments: [
        Duration(name: "never ran, no deadline", runs: [], deadline: nil, expected: .hours(1), source: "Default"),
        Duration(name: "never ran, deadline", runs: [], deadline: 7200, expected: .hours(2), source: "ActiveDeadlineSeconds"),
        Duration(name: "runs win over the deadline", runs: [50, 70, 65], deadline: 7200, expected: .minutes(70), source: "LearnedFromJobs"),
        // Only the five most recent runs count: a long first run ages out.
        Duration(name: "recent runs only", runs: [300, 40, 45, 50, 42, 41], deadline: nil, expected: .minutes(50), source: "LearnedFromJobs"),
    ])
    func durationIsLearnedFromPastRuns(_ test: Duration) {
        let cronJob = retrainCronJob(deadline: test.deadline)
        let jobs = test.runs.enumerated().map { index, minutes in
            completedRun(of: cronJob, index: index, start: Self.start.addingTimeInterval(Double(index) * 86_400), minutes: minutes)
        }
        let discovery = CronJobDiscovery(cronJobs: [cronJob], jobs: jobs, spec: Self.spec, nodes: [Self.node])
        let status = discovery.schedules.first?.status
        #expect(status?.duration == test.expected)
        #expect(status?.durationSource == test.source)
        #expect(status?.runs == (test.runs.isEmpty ? nil : min(test.runs.count, 5)))
    }

    /// Another CronJob's Jobs (same name elsewhere, or another owner) teach nothing.
    @Test func onlyTheCronJobsOwnJobsCount() {
        let cronJob = retrainCronJob()
        var foreign = completedRun(of: retrainCronJob("other"), index: 0, start: Self.start, minutes: 300)
        foreign.metadata.namespace = "gpu"
        let discovery = CronJobDiscovery(cronJobs: [cronJob], jobs: [foreign], spec: Self.spec, nodes: [Self.node])
        #expect(discovery.schedules.first?.status.durationSource == "Default")
    }

    @Test func unparsableScheduleOrTimeZoneIsNamedAndSkipped() {
        let discovery = CronJobDiscovery(
            cronJobs: [retrainCronJob("bad-cron", schedule: "0 25 * * *"), retrainCronJob("bad-zone", timeZone: "Mars/Olympus_Mons"),
                       retrainCronJob("good", timeZone: "Europe/Berlin")],
            jobs: [], spec: Self.spec, nodes: [Self.node])
        #expect(discovery.schedules.map(\.status.source) == ["CronJob gpu/good"])
        #expect(discovery.schedules.first?.status.timeZone == "Europe/Berlin")
        #expect(discovery.invalid.count == 2)
        #expect(discovery.invalid[0].hasPrefix(#"CronJob gpu/bad-cron: spec.schedule "0 25 * * *": "#))
        #expect(discovery.invalid[1] == #"CronJob gpu/bad-zone: spec.timeZone "Mars/Olympus_Mons": unknown IANA time zone"#)
    }

    /// The issue's acceptance test: ten days of a 20-GPU baseline plus a nightly 16-GPU burst from a
    /// discovered CronJob. The forecast during the next burst holds it once (≈ 36 GPUs), not twice (52).
    @Test func discoveredBurstIsCountedOnce() throws {
        let cronJob = retrainCronJob(schedule: "0 2 * * *")
        let runs = (0..<5).map { completedRun(of: cronJob, index: $0, start: Self.start.addingTimeInterval(Double($0) * 86_400 + 7200), minutes: 60) }
        let discovery = CronJobDiscovery(cronJobs: [cronJob], jobs: runs, spec: Self.spec, nodes: [Self.node])
        let schedule = try #require(discovery.schedules.first)
        #expect(schedule.status.gpus == 16)
        #expect(schedule.status.duration == .hours(1))

        var history = DemandHistory(step: 300, retention: 30 * 86_400)
        for bin in 0..<(10 * 288) {
            let t = Self.start.addingTimeInterval(Double(bin) * 300)
            let hourOfDay = Int(t.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400)) / 3600
            history.record(gpus: 20 + (hourOfDay == 2 ? 16 : 0), at: t)
        }
        var configuration = ForecastConfiguration.standard
        configuration.seasonalities = [86_400]
        configuration.schedules = [schedule.demand]
        let now = Self.start.addingTimeInterval(10 * 86_400)  // midnight: the burst is two hours away
        let forecast = DemandForecaster(configuration: configuration).fit(history: history, at: now).forecast(at: now, horizon: 4 * 3600)
        let burst = forecast.points.filter { $0.start >= now.addingTimeInterval(7200) && $0.start < now.addingTimeInterval(3 * 3600) }
        let before = forecast.points.filter { $0.start < now.addingTimeInterval(3600) }
        #expect(!burst.isEmpty)
        #expect(burst.allSatisfy { abs($0.mean - 36) < 2 }, "burst bins: \(burst.map(\.mean))")
        #expect(before.allSatisfy { abs($0.mean - 20) < 2 }, "before: \(before.map(\.mean))")
        #expect(forecast.scheduledWindows.map(\.name) == ["gpu/retrain"])
    }
}
