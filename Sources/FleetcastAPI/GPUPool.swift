import KubeAPI

/// A pool of identical GPU nodes that Fleetcast sizes ahead of demand (`fleetcast.dev/v1alpha1`,
/// namespaced). The spec says what to watch, what to scale and within which limits; the status is a
/// small summary of what the operator last observed and planned (no time series: those live in
/// separate objects, per the API conventions).
public struct GPUPool: Codable, Sendable, Hashable {
    public static let group = "fleetcast.dev"
    public static let version = "v1alpha1"
    public static let apiVersion = "\(group)/\(version)"
    public static let kind = "GPUPool"
    public static let plural = "gpupools"
    public static let singular = "gpupool"
    public static let shortNames = ["gp"]
    public static let categories = ["fleetcast"]

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: GPUPoolSpec
    public var status: GPUPoolStatus?

    public init(metadata: ObjectMeta, spec: GPUPoolSpec, status: GPUPoolStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// What Fleetcast does with its plan.
public enum PoolMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// Forecast, plan and set the target's replicas.
    case active = "Active"
    /// Forecast and plan, publish status, metrics and events, but never touch the target: the way to
    /// trial Fleetcast beside an existing autoscaler.
    case forecastOnly = "ForecastOnly"
}

/// How the target's replica count relates to the planned number of nodes.
public enum TargetSemantics: String, Codable, Sendable, Hashable, CaseIterable {
    /// Replicas are the pool's node count (a MachineDeployment, a MachineSet, a node group).
    case totalNodes = "TotalNodes"
    /// Replicas are spare nodes to hold on top of what current demand fills (a CapacityBuffer or a
    /// placeholder Deployment of low-priority pods that a reactive autoscaler turns into nodes).
    case headroom = "Headroom"
    /// Fleetcast sets the target's cluster-autoscaler floor (the
    /// `cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size` annotation) to the planned node
    /// count instead of its replicas: cluster-autoscaler keeps scaling the target, never below the
    /// floor Fleetcast raises ahead of demand.
    case minimumSize = "MinimumSize"
}
