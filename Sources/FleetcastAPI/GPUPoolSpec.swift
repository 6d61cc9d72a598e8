import KubeAPI

/// The desired behaviour of one pool. Optional fields are those with a default (see `withDefaults()`)
/// or whose absence means "off" (`budget`, `nodes.hourlyCost`, `warmPool.maxIdleNodes`).
public struct GPUPoolSpec: Codable, Sendable, Hashable {
    /// `Active` (default) or `ForecastOnly`.
    public var mode: PoolMode?
    public var nodes: NodesSpec
    public var target: ScaleTargetSpec
    public var demand: DemandSpec
    public var forecast: ForecastSpec?
    /// Demand known in advance (retraining, batch windows), added on top of the learned forecast.
    public var schedules: [ScheduleSpec]?
    public var warmPool: WarmPoolSpec?
    public var startup: StartupSpec?
    public var scaleDown: ScaleDownSpec?
    public var budget: BudgetSpec?
    /// Schedules found in the cluster rather than declared (CronJobs that request the pool's GPUs).
    public var discovery: DiscoverySpec?
    /// What to achieve (served share, waits) instead of how; unset knobs are then tuned by replay.
    public var objective: ObjectiveSpec?

    public init(
        mode: PoolMode? = nil,
        nodes: NodesSpec,
        target: ScaleTargetSpec,
        demand: DemandSpec,
        forecast: ForecastSpec? = nil,
        schedules: [ScheduleSpec]? = nil,
        warmPool: WarmPoolSpec? = nil,
        startup: StartupSpec? = nil,
        scaleDown: ScaleDownSpec? = nil,
        budget: BudgetSpec? = nil,
        discovery: DiscoverySpec? = nil,
        objective: ObjectiveSpec? = nil
    ) {
        self.mode = mode
        self.nodes = nodes
        self.target = target
        self.demand = demand
        self.forecast = forecast
        self.schedules = schedules
        self.warmPool = warmPool
        self.startup = startup
        self.scaleDown = scaleDown
        self.budget = budget
        self.discovery = discovery
        self.objective = objective
    }
}

/// Which nodes make up the pool and how far it may scale.
public struct NodesSpec: Codable, Sendable, Hashable {
    /// Selects the Node objects that belong to the pool.
    public var selector: LabelSelector
    /// GPUs one node contributes; converts GPU demand into nodes.
    public var gpusPerNode: Int
    /// Fewest nodes to keep, whatever the forecast says. Default 0.
    public var min: Int?
    public var max: Int
    /// Price of one node-hour, in any currency; enables cost status and `budget`.
    public var hourlyCost: Double?

    public init(selector: LabelSelector, gpusPerNode: Int, min: Int? = nil, max: Int, hourlyCost: Double? = nil) {
        self.selector = selector
        self.gpusPerNode = gpusPerNode
        self.min = min
        self.max = max
        self.hourlyCost = hourlyCost
    }
}

/// The object whose replica count Fleetcast sets.
public struct ScaleTargetSpec: Codable, Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    /// In `namespace`.
    public var name: String
    /// The target's namespace; default the pool's. In a Cluster API management cluster
    /// (`fleetcast operator --target-kubeconfig`) the MachineDeployments live in the cluster's
    /// namespace there, which is rarely the pool's namespace in the workload cluster.
    public var namespace: String?
    /// Empty (default): scale through the target's `/scale` subresource. Otherwise a JSON path such as
    /// `.spec.replicas` that is merge-patched directly, for kinds without `/scale` (CapacityBuffer).
    public var replicasPath: String?
    /// `TotalNodes` (default), `Headroom` or `MinimumSize`.
    public var semantics: TargetSemantics?

    public init(apiVersion: String, kind: String, name: String, namespace: String? = nil, replicasPath: String? = nil,
                semantics: TargetSemantics? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.replicasPath = replicasPath
        self.semantics = semantics
    }

    /// The namespace the target is resolved in: `namespace`, else the pool's.
    public func namespace(forPoolIn poolNamespace: String) -> String {
        if let namespace, !namespace.isEmpty { return namespace }
        return poolNamespace
    }
}

/// Where demand comes from.
public struct DemandSpec: Codable, Sendable, Hashable {
    public var pods: PodDemandSpec
    /// Demand history (and optionally live demand) from the operator's Prometheus server, so a new
    /// pool forecasts from the day it is created instead of after a week of its own observations.
    public var prometheus: PrometheusDemandSpec?

    public init(pods: PodDemandSpec, prometheus: PrometheusDemandSpec? = nil) {
        self.pods = pods
        self.prometheus = prometheus
    }
}

/// Demand is the sum of `resource` requested by matching pods that are Running or Pending.
public struct PodDemandSpec: Codable, Sendable, Hashable {
    public var selector: LabelSelector
    /// Extended resource name. Default `nvidia.com/gpu`.
    public var resource: String?
    /// The namespaces whose pods count, by their labels: a shared pool serves many teams' namespaces.
    /// `{}` selects every namespace; absent, only the pool's own namespace counts.
    public var namespaceSelector: LabelSelector?

    public init(selector: LabelSelector, resource: String? = nil, namespaceSelector: LabelSelector? = nil) {
        self.selector = selector
        self.resource = resource
        self.namespaceSelector = namespaceSelector
    }
}
