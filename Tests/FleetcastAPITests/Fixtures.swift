import FleetcastAPI
import KubeAPI

/// A complete, valid pool that tests mutate one field at a time.
enum Fixtures {
    static let poolLabels = LabelSelector(matchLabels: ["fleetcast.dev/pool": "a100-serving"])

    static var spec: GPUPoolSpec {
        GPUPoolSpec(
            mode: .active,
            nodes: NodesSpec(selector: poolLabels, gpusPerNode: 8, min: 1, max: 40, hourlyCost: 32.77),
            target: ScaleTargetSpec(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineDeployment", name: "a100-serving",
                                    replicasPath: "", semantics: .totalNodes),
            demand: DemandSpec(pods: PodDemandSpec(selector: poolLabels, resource: "nvidia.com/gpu")),
            forecast: ForecastSpec(seasonalities: [.hours(24), .hours(168)], history: .hours(336), step: .minutes(5), quantile: 0.95),
            schedules: [
                ScheduleSpec(name: "nightly-retrain", cron: "0 2 * * *", timeZone: "Europe/Berlin", duration: .hours(3), mode: .add, gpus: 32),
            ],
            warmPool: WarmPoolSpec(minIdleNodes: 1, maxIdleNodes: 4),
            startup: StartupSpec(expected: .minutes(8), quantile: 0.9),
            scaleDown: ScaleDownSpec(stabilizationWindow: .minutes(15), maxNodesPerStep: 2),
            budget: BudgetSpec(maxHourlyCost: 900),
            discovery: DiscoverySpec(cronJobs: .enabled, queuedJobs: .enabled)
        )
    }

    static var pool: GPUPool {
        GPUPool(metadata: ObjectMeta(name: "a100-serving", namespace: "gpu-fleet"), spec: spec)
    }

    /// The smallest valid spec: only required fields.
    static var minimalSpec: GPUPoolSpec {
        GPUPoolSpec(
            nodes: NodesSpec(selector: poolLabels, gpusPerNode: 8, max: 10),
            target: ScaleTargetSpec(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineDeployment", name: "pool"),
            demand: DemandSpec(pods: PodDemandSpec(selector: poolLabels))
        )
    }

    /// `spec` with a standby tier and pre-pulled images, every standby field given.
    static var standbySpec: GPUPoolSpec {
        var spec = spec
        spec.warmPool?.standby = StandbySpec(
            minNodes: 1, maxNodes: 4, percent: 10, hourlyCost: 3.3, resume: StartupSpec(expected: KubeDuration(seconds: 35), quantile: 0.9),
            target: ScaleTargetSpec(apiVersion: "autoscaling.x-k8s.io/v1alpha1", kind: "CapacityBuffer", name: "a100-standby",
                                    replicasPath: ".spec.replicas", semantics: .totalNodes))
        spec.warmPool?.prePull = PrePullSpec(images: ["nvcr.io/nvidia/tritonserver:24.08-py3"])
        return spec
    }

    /// A pool with every status field set, as the operator would write it.
    static var poolWithStatus: GPUPool {
        var pool = pool
        pool.status = GPUPoolStatus(
            observedGeneration: 3,
            conditions: [Condition(type: GPUPoolConditionType.ready.rawValue, status: .true, observedGeneration: 3,
                                   lastTransitionTime: "2026-11-29T04:00:00Z", reason: GPUPoolConditionReason.reconciled.rawValue,
                                   message: "Plan applied.")],
            nodes: NodeCountsStatus(current: 5, ready: 4, starting: 1, desired: 6, idle: 1),
            demand: DemandStatus(gpus: 30, pendingGPUs: 2),
            forecast: ForecastStatus(peakGPUs: 41.5, peakAt: "2026-11-29T09:00:00Z", horizon: .minutes(20)),
            nextSchedule: NextScheduleStatus(name: "nightly-retrain", startsAt: "2026-11-30T01:00:00Z", gpus: 32),
            startup: StartupStatus(p50: .minutes(7), p90: KubeDuration(seconds: 610), samples: 12),
            cost: CostStatus(hourly: 163.85),
            lastScale: LastScaleStatus(time: "2026-11-29T03:55:00Z", from: 4, to: 5, reason: GPUPoolEventReason.scaledUp.rawValue)
        )
        return pool
    }
}
