/// `batch/v1 CronJob`, reduced to its schedule: Fleetcast reads CronJobs to discover demand windows
/// that are known in advance, and the job template says what each run's pods request.
public struct CronJob: KubernetesResource, Hashable {
    public static let groupVersionResource = GroupVersionResource(group: "batch", version: "v1", resource: "cronjobs")
    public static let kind = "CronJob"
    public static let scope = ResourceScope.namespaced

    public var apiVersion: String? = CronJob.apiVersion
    public var kind: String? = CronJob.kind
    public var metadata: ObjectMeta
    public var spec: CronJobSpec?

    public init(metadata: ObjectMeta, spec: CronJobSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct CronJobSpec: Codable, Sendable, Hashable {
    public var schedule: String
    public var timeZone: String?
    public var suspend: Bool?
    public var jobTemplate: JobTemplateSpec?

    public init(schedule: String, timeZone: String? = nil, suspend: Bool? = nil, jobTemplate: JobTemplateSpec? = nil) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.suspend = suspend
        self.jobTemplate = jobTemplate
    }
}
