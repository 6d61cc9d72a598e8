/// `batch/v1 Job`, reduced to what Fleetcast reads: the pod template (what the job's pods request and
/// where they may run), its parallelism and deadline, whether a queue manager holds it suspended, and
/// when it started and completed (how long a CronJob's runs take).
public struct Job: KubernetesResource, Hashable {
    public static let groupVersionResource = GroupVersionResource(group: "batch", version: "v1", resource: "jobs")
    public static let kind = "Job"
    public static let scope = ResourceScope.namespaced

    public var apiVersion: String? = Job.apiVersion
    public var kind: String? = Job.kind
    public var metadata: ObjectMeta
    public var spec: JobSpec?
    public var status: JobStatus?

    public init(metadata: ObjectMeta, spec: JobSpec? = nil, status: JobStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct JobSpec: Codable, Sendable, Hashable {
    /// Most pods running at once; default 1.
    public var parallelism: Int32?
    /// Pods that must succeed; default 1 (0 or nil with parallelism set: a work queue).
    public var completions: Int32?
    /// Seconds the job may run before it is failed.
    public var activeDeadlineSeconds: Int64?
    /// True while the job must not create pods (Kueue keeps queued jobs suspended until it admits them).
    public var suspend: Bool?
    public var template: PodTemplateSpec

    public init(parallelism: Int32? = nil, completions: Int32? = nil, activeDeadlineSeconds: Int64? = nil, suspend: Bool? = nil,
                template: PodTemplateSpec) {
        self.parallelism = parallelism
        self.completions = completions
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.suspend = suspend
        self.template = template
    }

    /// Pods the job runs at once at most: `parallelism` (default 1), no more than `completions` when set.
    public var concurrentPods: Int {
        let parallel = Int(max(0, parallelism ?? 1))
        guard let completions, completions > 0 else { return parallel }
        return min(parallel, Int(completions))
    }
}

/// A pod template: the labels and spec the job's pods are created with.
public struct PodTemplateSpec: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta?
    public var spec: PodSpec?

    public init(metadata: ObjectMeta? = nil, spec: PodSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// A CronJob's `jobTemplate`: the Job each firing creates.
public struct JobTemplateSpec: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta?
    public var spec: JobSpec?

    public init(metadata: ObjectMeta? = nil, spec: JobSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct JobStatus: Codable, Sendable, Hashable {
    /// RFC 3339; set when the job controller starts the job (and again when it is unsuspended).
    public var startTime: String?
    /// RFC 3339; set once the job has completed successfully.
    public var completionTime: String?
    public var active: Int32?
    public var succeeded: Int32?
    public var failed: Int32?

    public init(startTime: String? = nil, completionTime: String? = nil, active: Int32? = nil, succeeded: Int32? = nil, failed: Int32? = nil) {
        self.startTime = startTime
        self.completionTime = completionTime
        self.active = active
        self.succeeded = succeeded
        self.failed = failed
    }
}
