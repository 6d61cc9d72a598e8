import KubeAPI

/// Every default of the GPUPool spec, in one place. `withDefaults()`, the `effective…` accessors and the
/// CRD's `default:` values all read these constants, so the operator, the simulator and the API server
/// agree on what an omitted field means.
public enum GPUPoolDefaults {
    public static let mode = PoolMode.active
    public static let minNodes = 0
    public static let replicasPath = ""
    public static let semantics = TargetSemantics.totalNodes
    public static let demandResource = "nvidia.com/gpu"
    public static let prometheusUse = PrometheusDemandUse.history
    public static let seasonalities: [KubeDuration] = [.hours(24), .hours(168)]
    public static let history = KubeDuration.hours(336)
    public static let step = KubeDuration.minutes(5)
    public static let forecastQuantile = 0.95
    public static let timeZone = "UTC"
    public static let scheduleMode = ScheduleMode.add
    public static let cronJobDiscovery = DiscoveryMode.enabled
    public static let queuedJobDiscovery = DiscoveryMode.enabled
    public static let minIdleNodes = 0
    public static let startupExpected = KubeDuration.minutes(10)
    public static let startupQuantile = 0.9
    public static let stabilizationWindow = KubeDuration.minutes(15)
    public static let maxNodesPerStep = 1
    public static let waitQuantile = 0.95
    public static let tuningMode = TuningMode.recommend
    public static let standbyMinNodes = 0
    /// A standby node's price when `standby.hourlyCost` is unset: its disk and address, about a tenth
    /// of a running GPU node.
    public static let standbyCostFraction = 0.1
    /// GKE documents 30–35 s for a standby resume; the prior plans for a slower one until resumes are seen.
    public static let resumeExpected = KubeDuration.minutes(1)
    public static let resumeQuantile = 0.9
}

extension GPUPoolSpec {
    /// The spec with every omitted defaulted field filled in, as the API server would store it. Fields
    /// whose absence means "off" (`budget`, `nodes.hourlyCost`, `warmPool.maxIdleNodes`) stay absent.
    public func withDefaults() -> GPUPoolSpec {
        var spec = self
        spec.mode = effectiveMode
        spec.nodes.min = effectiveMinNodes
        spec.target = target.withDefaults()
        spec.demand.pods.resource = effectiveDemandResource
        if var prometheus = demand.prometheus {
            prometheus.use = prometheus.effectiveUse
            spec.demand.prometheus = prometheus
        }
        spec.forecast = ForecastSpec(
            seasonalities: effectiveSeasonalities,
            history: effectiveHistory,
            step: effectiveStep,
            quantile: effectiveForecastQuantile
        )
        spec.schedules = schedules.map { list in
            list.map { schedule in
                var filled = schedule
                filled.mode = schedule.effectiveMode
                filled.timeZone = schedule.effectiveTimeZone
                return filled
            }
        }
        spec.warmPool = WarmPoolSpec(minIdleNodes: effectiveMinIdleNodes, maxIdleNodes: warmPool?.maxIdleNodes,
                                     minIdlePercent: warmPool?.minIdlePercent, learnedMaxPercent: warmPool?.learnedMaxPercent,
                                     standby: effectiveStandby, prePull: warmPool?.prePull)
        spec.objective = objective.map { objective in
            var filled = objective
            filled.mode = objective.effectiveMode
            if objective.maxWait != nil { filled.waitQuantile = objective.effectiveWaitQuantile }
            return filled
        }
        spec.startup = StartupSpec(expected: effectiveStartupExpected, quantile: effectiveStartupQuantile)
        spec.discovery = DiscoverySpec(cronJobs: effectiveCronJobDiscovery, queuedJobs: effectiveQueuedJobDiscovery)
        spec.scaleDown = ScaleDownSpec(
            stabilizationWindow: effectiveStabilizationWindow,
            maxNodesPerStep: effectiveMaxNodesPerStep
        )
        return spec
    }

    // Non-optional views for consumers (planner, simulator, operator): the value if set, else its default.
    public var effectiveMode: PoolMode { mode ?? GPUPoolDefaults.mode }
    public var effectiveMinNodes: Int { nodes.min ?? GPUPoolDefaults.minNodes }
    public var effectiveReplicasPath: String { target.replicasPath ?? GPUPoolDefaults.replicasPath }
    public var effectiveSemantics: TargetSemantics { target.semantics ?? GPUPoolDefaults.semantics }
    public var effectiveDemandResource: String { demand.pods.resource ?? GPUPoolDefaults.demandResource }
    public var effectiveSeasonalities: [KubeDuration] { forecast?.seasonalities ?? GPUPoolDefaults.seasonalities }
    public var effectiveHistory: KubeDuration { forecast?.history ?? GPUPoolDefaults.history }
    public var effectiveStep: KubeDuration { forecast?.step ?? GPUPoolDefaults.step }
    public var effectiveForecastQuantile: Double { forecast?.quantile ?? GPUPoolDefaults.forecastQuantile }
    public var effectiveMinIdleNodes: Int { warmPool?.minIdleNodes ?? GPUPoolDefaults.minIdleNodes }
    public var effectiveStartupExpected: KubeDuration { startup?.expected ?? GPUPoolDefaults.startupExpected }
    public var effectiveStartupQuantile: Double { startup?.quantile ?? GPUPoolDefaults.startupQuantile }
    public var effectiveStabilizationWindow: KubeDuration {
        scaleDown?.stabilizationWindow ?? GPUPoolDefaults.stabilizationWindow
    }
    public var effectiveCronJobDiscovery: DiscoveryMode { discovery?.cronJobs ?? GPUPoolDefaults.cronJobDiscovery }
    public var effectiveQueuedJobDiscovery: DiscoveryMode { discovery?.queuedJobs ?? GPUPoolDefaults.queuedJobDiscovery }
    public var effectiveMaxNodesPerStep: Int { scaleDown?.maxNodesPerStep ?? GPUPoolDefaults.maxNodesPerStep }
}

extension ScheduleSpec {
    public var effectiveTimeZone: String { timeZone ?? GPUPoolDefaults.timeZone }
    public var effectiveMode: ScheduleMode { mode ?? GPUPoolDefaults.scheduleMode }
}
