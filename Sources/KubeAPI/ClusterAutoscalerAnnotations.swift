/// The annotations through which cluster-autoscaler's Cluster API provider is configured, read as
/// it reads them (kubernetes/autoscaler, `cloudprovider/clusterapi/clusterapi_utils.go`): the node
/// group's bounds on the scalable resource, and the per-node opt-out of scale-down.
public enum ClusterAutoscalerAnnotations {
    /// Fewest nodes cluster-autoscaler keeps in the group (and, with `--enforce-node-group-min-size`,
    /// scales the group up to).
    public static let minSize = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size"
    /// Most nodes cluster-autoscaler scales the group to.
    public static let maxSize = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size"
    /// On a Node: `"true"` keeps cluster-autoscaler from ever removing it as unneeded.
    public static let scaleDownDisabled = "cluster-autoscaler.kubernetes.io/scale-down-disabled"
    /// The kinds the clusterapi provider scales (and so reads the bounds of).
    public static let scalableKinds = ["MachineDeployment", "MachineSet", "MachinePool"]

    /// What a scalable resource's annotations say about cluster-autoscaler.
    public enum Bounds: Sendable, Hashable {
        /// Neither annotation: cluster-autoscaler does not scale the resource.
        case absent
        /// Both annotations, valid: cluster-autoscaler scales the resource between them (a group whose
        /// max equals its min has no room to scale and is skipped, which changes nothing here).
        case bounded(min: Int, max: Int)
        /// Values cluster-autoscaler rejects (not an integer, negative, max below min) or a min without
        /// a max; the message says which.
        case invalid(String)

        /// Whether cluster-autoscaler writes the resource's replicas.
        public var autoscaled: Bool {
            if case .bounded = self { return true }
            return false
        }
    }

    /// Reads the bounds with cluster-autoscaler's rules (`parseScalingBounds`): each an integer
    /// (`strconv.Atoi`), neither negative, max not below min; a missing min is 0, and a missing max
    /// leaves no room to scale.
    public static func bounds(in annotations: [String: String]) -> Bounds {
        let min = annotations[minSize], max = annotations[maxSize]
        switch (min, max) {
        case (nil, nil):
            return .absent
        case (_, nil):
            return .invalid("has \(minSize) but not \(maxSize)")
        case (let min, let max?):
            guard let low = Int(min ?? "0"), low >= 0 else { return .invalid("\(minSize) \"\(min ?? "")\" is not a non-negative integer") }
            guard let high = Int(max), high >= 0 else { return .invalid("\(maxSize) \"\(max)\" is not a non-negative integer") }
            guard high >= low else { return .invalid("\(maxSize) (\(high)) is below \(minSize) (\(low))") }
            return .bounded(min: low, max: high)
        }
    }
}
