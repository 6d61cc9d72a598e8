/// `core/v1 Node`, reduced to pool membership (labels), readiness, GPU capacity and taints. Named
/// `KubeNode` because `Node` would clash with Yams' `Node` in every module that imports both.
public struct KubeNode: KubernetesResource, Hashable {
    public static let groupVersionResource = GroupVersionResource(group: "", version: "v1", resource: "nodes")
    public static let kind = "Node"
    public static let scope = ResourceScope.cluster

    public var apiVersion: String? = KubeNode.apiVersion
    public var kind: String? = KubeNode.kind
    public var metadata: ObjectMeta
    public var spec: NodeSpec?
    public var status: NodeStatus?

    public init(metadata: ObjectMeta, spec: NodeSpec? = nil, status: NodeStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct NodeSpec: Codable, Sendable, Hashable {
    public var providerID: String?
    public var unschedulable: Bool?
    public var taints: [Taint]?

    public init(providerID: String? = nil, unschedulable: Bool? = nil, taints: [Taint]? = nil) {
        self.providerID = providerID
        self.unschedulable = unschedulable
        self.taints = taints
    }
}

public struct Taint: Codable, Sendable, Hashable {
    public var key: String
    public var value: String?
    public var effect: String
    public var timeAdded: String?

    public init(key: String, value: String? = nil, effect: String, timeAdded: String? = nil) {
        self.key = key
        self.value = value
        self.effect = effect
        self.timeAdded = timeAdded
    }
}

public struct NodeStatus: Codable, Sendable, Hashable {
    /// Quantity strings by resource name, e.g. `"nvidia.com/gpu": "8"`.
    public var capacity: [String: String]?
    public var allocatable: [String: String]?
    public var conditions: [NodeCondition]?

    public init(capacity: [String: String]? = nil, allocatable: [String: String]? = nil, conditions: [NodeCondition]? = nil) {
        self.capacity = capacity
        self.allocatable = allocatable
        self.conditions = conditions
    }
}

/// Node conditions have the same legacy shape as pod conditions (`Ready`, `MemoryPressure`, …).
public typealias NodeCondition = PodCondition
