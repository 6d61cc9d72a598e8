import KubeAPI

/// `spec.warmPool.standby`: a tier of suspended nodes between running idle nodes and nothing. A standby
/// node is set up (image pulled, driver loaded) and stopped; it costs its disk and address, not its GPU,
/// and resumes in tens of seconds where a new node takes minutes. The planner keeps running idle nodes
/// for rises faster than a resume, standby nodes for rises faster than a cold start, and leaves slower
/// rises to the forecast. Clouds offer it as GKE's standby CapacityBuffer, EKS warm pools of Stopped
/// instances and AKS `scaleDownMode: Deallocate` (docs/cold-starts.md).
public struct StandbySpec: Codable, Sendable, Hashable {
    /// Fewest standby nodes to keep. Default 0.
    public var minNodes: Int?
    /// Most standby nodes; at most `spec.nodes.max`, since a resumed node joins the pool.
    public var maxNodes: Int
    /// Standby capacity as a percentage (0–100) of the planned GPUs, like `minIdlePercent`; capped by
    /// `maxNodes`. Unset: the planner sizes the tier from the forecast's spread alone.
    public var percent: Int?
    /// Price of one standby node-hour. Unset: 10 % of `spec.nodes.hourlyCost` when that is set.
    public var hourlyCost: Double?
    /// The resume time: a prior until resumes are observed, and the quantile of them planned for.
    public var resume: StartupSpec?
    /// What holds the standby nodes: a second scalable object (a CapacityBuffer with the standby
    /// provisioning strategy, a MachineDeployment of stopped nodes), never `spec.target` itself.
    public var target: ScaleTargetSpec

    public init(minNodes: Int? = nil, maxNodes: Int, percent: Int? = nil, hourlyCost: Double? = nil,
                resume: StartupSpec? = nil, target: ScaleTargetSpec) {
        self.minNodes = minNodes
        self.maxNodes = maxNodes
        self.percent = percent
        self.hourlyCost = hourlyCost
        self.resume = resume
        self.target = target
    }
}

/// `spec.warmPool.prePull`: images the operator keeps pulled on the pool's warm and standby nodes (a
/// DaemonSet it owns), so the pull phase of a start-up is paid before demand arrives.
public struct PrePullSpec: Codable, Sendable, Hashable {
    /// Image references (`registry/repository:tag` or `@sha256:` digests); unique, at most
    /// `GPUPoolLimits.maxPrePullImages`.
    public var images: [String]

    public init(images: [String]) {
        self.images = images
    }
}

extension GPUPoolSpec {
    /// The standby tier with its defaults filled in, or nil when the pool has none.
    public var effectiveStandby: StandbySpec? { warmPool?.standby?.withDefaults() }

    /// Price of one standby node-hour: `standby.hourlyCost`, else `standbyCostFraction` of
    /// `nodes.hourlyCost`; nil when neither is known (no cost accounting).
    public var effectiveStandbyHourlyCost: Double? {
        guard let standby = warmPool?.standby else { return nil }
        if let cost = standby.hourlyCost { return cost }
        return nodes.hourlyCost.map { $0 * GPUPoolDefaults.standbyCostFraction }
    }
}

extension StandbySpec {
    public var effectiveMinNodes: Int { minNodes ?? GPUPoolDefaults.standbyMinNodes }
    public var effectiveResumeExpected: KubeDuration { resume?.expected ?? GPUPoolDefaults.resumeExpected }
    public var effectiveResumeQuantile: Double { resume?.quantile ?? GPUPoolDefaults.resumeQuantile }

    /// As the API server stores it. `hourlyCost` stays absent: its default depends on
    /// `nodes.hourlyCost`, which a schema default cannot read (see `effectiveStandbyHourlyCost`).
    public func withDefaults() -> StandbySpec {
        var filled = self
        filled.minNodes = effectiveMinNodes
        filled.resume = StartupSpec(expected: effectiveResumeExpected, quantile: effectiveResumeQuantile)
        filled.target = target.withDefaults()
        return filled
    }
}

extension ScaleTargetSpec {
    /// `replicasPath` and `semantics` filled in, as for `spec.target`.
    public func withDefaults() -> ScaleTargetSpec {
        var filled = self
        filled.replicasPath = replicasPath ?? GPUPoolDefaults.replicasPath
        filled.semantics = semantics ?? GPUPoolDefaults.semantics
        return filled
    }

    /// Whether two targets name the same object (the namespace defaults to the pool's).
    func isSameObject(as other: ScaleTargetSpec) -> Bool {
        apiVersion == other.apiVersion && kind == other.kind && name == other.name
            && (namespace ?? "") == (other.namespace ?? "")
    }
}
