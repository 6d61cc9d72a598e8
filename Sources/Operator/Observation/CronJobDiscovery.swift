import Cron
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import PoolPolicy

/// A schedule found in the cluster: the forecaster's view and the status line that says where it came from.
public struct DiscoveredSchedule: Sendable, Hashable {
    public var demand: ScheduledDemand
    public var status: DiscoveredScheduleStatus
}

/// CronJobs that request the pool's GPUs, read as schedules (`spec.discovery.cronJobs`). Pure.
///
/// A CronJob counts when it is not suspended, its pod template's labels match the pool's demand
/// selector (the namespaces were already chosen by the cache), its pods request the pool's GPU
/// resource, and their node selector and required node affinity fit one of the pool's nodes (or,
/// while the pool has none, do not contradict the labels its node selector requires). Its cron and
/// time zone (UTC when unset, the usual controller-manager zone) open the windows; each window needs
/// per-pod request × parallelism GPUs and lasts as long as the longest of its recent completed runs,
/// or `activeDeadlineSeconds`, or an hour, until it has run. A CronJob whose schedule or time zone does
/// not parse is skipped and named in `invalid`, never fatal.
public struct CronJobDiscovery: Sendable, Hashable {
    public var schedules: [DiscoveredSchedule] = []
    /// One message per skipped CronJob, naming it and the field that does not parse.
    public var invalid: [String] = []

    /// `fleetcast simulate --cronjobs` runs this too, with no Jobs and no nodes, to replay what the
    /// operator would discover from the same CronJobs.
    public init(cronJobs: [CronJob], jobs: [Job], spec: GPUPoolSpec, nodes: [KubeNode]) {
        let runs = Dictionary(grouping: jobs.compactMap { job in Self.owner(of: job).map { ($0, job) } }, by: \.0)
            .mapValues { $0.map(\.1) }
        for cronJob in cronJobs.sorted(by: { Self.name(of: $0) < Self.name(of: $1) }) {
            guard let cronSpec = cronJob.spec, cronSpec.suspend != true, let jobSpec = cronSpec.jobTemplate?.spec,
                  let gpus = JobTemplateDemand.gpus(of: jobSpec, spec: spec, nodes: nodes)
            else { continue }
            let name = Self.name(of: cronJob)
            let zoneName = cronSpec.timeZone ?? GPUPoolDefaults.timeZone
            let expression: CronExpression
            do {
                expression = try CronExpression(parsing: cronSpec.schedule)
            } catch {
                invalid.append("CronJob \(name): spec.schedule \"\(cronSpec.schedule)\": \(error.message)")
                continue
            }
            guard let zone = TimeZone(identifier: zoneName) else {
                invalid.append("CronJob \(name): spec.timeZone \"\(zoneName)\": unknown IANA time zone")
                continue
            }
            let learned = Self.duration(of: runs[Self.key(of: cronJob)] ?? [], deadline: jobSpec.activeDeadlineSeconds)
            let duration = learned.seconds
            let demand = ScheduledDemand(name: name, timing: .recurring(RecurringWindow(expression: expression, timeZone: zone, duration: duration)),
                                         mode: .add, gpus: min(gpus, Double(GPUPoolLimits.scheduleGPUs.upperBound)))
            let status = DiscoveredScheduleStatus(
                name: name, source: "CronJob \(name)", cron: cronSpec.schedule, timeZone: zoneName,
                duration: KubeDuration(nanoseconds: Int64(duration * 1e9)), gpus: Int(demand.gpus.rounded(.up)),
                durationSource: learned.source.rawValue, runs: learned.runs > 0 ? learned.runs : nil)
            schedules.append(DiscoveredSchedule(demand: demand, status: status))
        }
    }

    /// How long a window lasts, learned from the CronJob's completed Jobs (start to completion) by the
    /// rule `fleetcast simulate` applies to trace rows too (`LearnedScheduleDuration`).
    static func duration(of jobs: [Job], deadline: Int64?) -> LearnedScheduleDuration {
        let runs = jobs.compactMap { job -> LearnedScheduleDuration.Run? in
            guard let start = job.status?.startTime.flatMap(KubeTime.parse),
                  let end = job.status?.completionTime.flatMap(KubeTime.parse) else { return nil }
            return LearnedScheduleDuration.Run(start: start, end: end)
        }
        return LearnedScheduleDuration(runs: runs, deadline: deadline)
    }

    private static func name(of cronJob: CronJob) -> String {
        "\(cronJob.metadata.namespace ?? "")/\(cronJob.metadata.name ?? "")"
    }

    /// A CronJob's identity for its Jobs: namespace, name and (when known) uid.
    private struct Owner: Hashable {
        var namespace: String
        var name: String
        var uid: String?
    }

    private static func key(of cronJob: CronJob) -> Owner {
        Owner(namespace: cronJob.metadata.namespace ?? "", name: cronJob.metadata.name ?? "", uid: cronJob.metadata.uid)
    }

    /// The CronJob that controls `job`, from its owner references, as the CronJob controller sets them.
    private static func owner(of job: Job) -> Owner? {
        guard let reference = job.metadata.ownerReferences?.first(where: { $0.kind == "CronJob" && $0.apiVersion.hasPrefix("batch/") })
        else { return nil }
        return Owner(namespace: job.metadata.namespace ?? "", name: reference.name, uid: reference.uid.isEmpty ? nil : reference.uid)
    }
}
