import KubeAPI

/// What the operator last observed and planned. Small and slow-changing by design: the demand history
/// and forecast series live elsewhere (a ConfigMap, metrics), only their summary is here.
public struct GPUPoolStatus: Codable, Sendable, Hashable {
    /// The `metadata.generation` this status was computed from.
    public var observedGeneration: Int64?
    /// See `GPUPoolConditionType` for the types and `GPUPoolConditionReason` for their reasons.
    public var conditions: [Condition]?
    public var nodes: NodeCountsStatus?
    public var demand: DemandStatus?
    public var forecast: ForecastStatus?
    public var nextSchedule: NextScheduleStatus?
    public var startup: StartupStatus?
    /// The standby tier (`spec.warmPool.standby`); absent for a pool without one.
    public var standby: StandbyStatus?
    public var cost: CostStatus?
    public var lastScale: LastScaleStatus?
    /// Schedules found in the cluster (`spec.discovery`), each with its source.
    public var discoveredSchedules: [DiscoveredScheduleStatus]?
    /// The last self-tuning of a pool with `spec.objective`.
    public var tuning: TuningStatus?

    public init(
        observedGeneration: Int64? = nil,
        conditions: [Condition]? = nil,
        nodes: NodeCountsStatus? = nil,
        demand: DemandStatus? = nil,
        forecast: ForecastStatus? = nil,
        nextSchedule: NextScheduleStatus? = nil,
        startup: StartupStatus? = nil,
        cost: CostStatus? = nil,
        lastScale: LastScaleStatus? = nil,
        discoveredSchedules: [DiscoveredScheduleStatus]? = nil,
        standby: StandbyStatus? = nil,
        tuning: TuningStatus? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.conditions = conditions
        self.nodes = nodes
        self.demand = demand
        self.forecast = forecast
        self.nextSchedule = nextSchedule
        self.startup = startup
        self.cost = cost
        self.lastScale = lastScale
        self.discoveredSchedules = discoveredSchedules
        self.standby = standby
        self.tuning = tuning
    }
}

/// A schedule found in the cluster: what it is and where it came from.
public struct DiscoveredScheduleStatus: Codable, Sendable, Hashable {
    /// The schedule's name in plans and events (`namespace/name` of its CronJob).
    public var name: String
    /// Where it was found, e.g. `CronJob ml/retrain-nightly`.
    public var source: String
    public var cron: String
    public var timeZone: String
    /// How long each window lasts.
    public var duration: KubeDuration
    /// Per-pod request × parallelism.
    public var gpus: Int
    /// Where the duration comes from: `LearnedFromJobs` (the longest of the recent completed runs),
    /// `ActiveDeadlineSeconds` or `Default`.
    public var durationSource: String
    /// Completed runs the duration was learned from.
    public var runs: Int?

    public init(name: String, source: String, cron: String, timeZone: String, duration: KubeDuration, gpus: Int,
                durationSource: String, runs: Int? = nil) {
        self.name = name
        self.source = source
        self.cron = cron
        self.timeZone = timeZone
        self.duration = duration
        self.gpus = gpus
        self.durationSource = durationSource
        self.runs = runs
    }
}

/// Node counts of the pool; `desired` is the plan, the rest are observations.
public struct NodeCountsStatus: Codable, Sendable, Hashable {
    public var current: Int?
    public var ready: Int?
    /// Requested but not yet GPU-allocatable.
    public var starting: Int?
    public var desired: Int?
    /// Ready nodes with no GPU requested on them.
    public var idle: Int?

    public init(current: Int? = nil, ready: Int? = nil, starting: Int? = nil, desired: Int? = nil, idle: Int? = nil) {
        self.current = current
        self.ready = ready
        self.starting = starting
        self.desired = desired
        self.idle = idle
    }
}

public struct DemandStatus: Codable, Sendable, Hashable {
    /// GPUs requested by the pool's Running and Pending pods, plus its queued jobs.
    public var gpus: Int?
    /// The part of `gpus` requested by Pending pods and queued jobs.
    public var pendingGPUs: Int?
    /// The part of `pendingGPUs` of Jobs a queue manager (Kueue) holds suspended (`spec.discovery.queuedJobs`).
    public var queuedGPUs: Int?

    public init(gpus: Int? = nil, pendingGPUs: Int? = nil, queuedGPUs: Int? = nil) {
        self.gpus = gpus
        self.pendingGPUs = pendingGPUs
        self.queuedGPUs = queuedGPUs
    }
}

public struct ForecastStatus: Codable, Sendable, Hashable {
    /// Highest planned-quantile demand within `horizon`.
    public var peakGPUs: Double?
    /// RFC 3339.
    public var peakAt: String?
    public var horizon: KubeDuration?

    public init(peakGPUs: Double? = nil, peakAt: String? = nil, horizon: KubeDuration? = nil) {
        self.peakGPUs = peakGPUs
        self.peakAt = peakAt
        self.horizon = horizon
    }
}

public struct NextScheduleStatus: Codable, Sendable, Hashable {
    public var name: String?
    /// RFC 3339.
    public var startsAt: String?
    public var gpus: Int?

    public init(name: String? = nil, startsAt: String? = nil, gpus: Int? = nil) {
        self.name = name
        self.startsAt = startsAt
        self.gpus = gpus
    }
}

/// Observed node start-up times (creation to GPU-allocatable), the phases from asking for a node to
/// a pod serving on it, and the lead time planned with.
public struct StartupStatus: Codable, Sendable, Hashable {
    public var p50: KubeDuration?
    public var p90: KubeDuration?
    public var samples: Int?
    /// The lead time the plan uses: the prior, the observed node start-up, or that plus the observed
    /// phases outside it.
    public var leadTime: KubeDuration?
    /// The measured phases, in the order they happen; absent before any was measured.
    public var phases: [StartupPhaseStatus]?

    public init(p50: KubeDuration? = nil, p90: KubeDuration? = nil, samples: Int? = nil,
                leadTime: KubeDuration? = nil, phases: [StartupPhaseStatus]? = nil) {
        self.p50 = p50
        self.p90 = p90
        self.samples = samples
        self.leadTime = leadTime
        self.phases = phases
    }
}

/// One start-up phase's learned distribution (see `docs/cold-starts.md` for what each measures).
public struct StartupPhaseStatus: Codable, Sendable, Hashable {
    /// Provisioning, NodeReady, GPUReady, Scheduling, ImagePull or ModelLoad.
    public var name: String
    public var p50: KubeDuration?
    public var p90: KubeDuration?
    public var samples: Int?

    public init(name: String, p50: KubeDuration? = nil, p90: KubeDuration? = nil, samples: Int? = nil) {
        self.name = name
        self.p50 = p50
        self.p90 = p90
        self.samples = samples
    }
}

public struct CostStatus: Codable, Sendable, Hashable {
    /// Running nodes × `spec.nodes.hourlyCost`, plus suspended standby nodes × the standby price
    /// (`spec.effectiveStandbyHourlyCost`).
    public var hourly: Double?

    public init(hourly: Double? = nil) {
        self.hourly = hourly
    }
}

public struct LastScaleStatus: Codable, Sendable, Hashable {
    /// RFC 3339.
    public var time: String?
    public var from: Int?
    public var to: Int?
    /// A `GPUPoolEventReason` raw value such as `ScaledUp`.
    public var reason: String?

    public init(time: String? = nil, from: Int? = nil, to: Int? = nil, reason: String? = nil) {
        self.time = time
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// The standby tier as planned and observed: how many suspended nodes the plan holds (written to
/// `spec.warmPool.standby.target`), how many of the pool's nodes are suspended now, and the resumes
/// seen (asked to resume → node Ready, `docs/cold-starts.md`).
public struct StandbyStatus: Codable, Sendable, Hashable {
    /// Standby nodes the latest plan holds.
    public var desired: Int?
    /// The pool's nodes suspended now (not Ready, with the node lifecycle controller's unreachable
    /// taint): capacity ready to resume.
    public var readyToResume: Int?
    /// Resume time the plan uses: the prior until enough resumes are seen, then their quantile.
    public var resumeTime: KubeDuration?
    /// Median and 90th percentile of the observed resumes, and how many there were.
    public var resumeP50: KubeDuration?
    public var resumeP90: KubeDuration?
    public var resumeSamples: Int?

    public init(desired: Int? = nil, readyToResume: Int? = nil, resumeTime: KubeDuration? = nil,
                resumeP50: KubeDuration? = nil, resumeP90: KubeDuration? = nil, resumeSamples: Int? = nil) {
        self.desired = desired
        self.readyToResume = readyToResume
        self.resumeTime = resumeTime
        self.resumeP50 = resumeP50
        self.resumeP90 = resumeP90
        self.resumeSamples = resumeSamples
    }
}
