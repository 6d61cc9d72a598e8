/// `core/v1 Pod`, reduced to what GPU demand observation needs: requests and limits, placement and
/// scheduling state. Fields not modelled here are dropped on decode, so change pods with patches.
public struct Pod: KubernetesResource, Hashable {
    public static let groupVersionResource = GroupVersionResource(group: "", version: "v1", resource: "pods")
    public static let kind = "Pod"
    public static let scope = ResourceScope.namespaced

    public var apiVersion: String? = Pod.apiVersion
    public var kind: String? = Pod.kind
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: PodSpec? = nil, status: PodStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct PodSpec: Codable, Sendable, Hashable {
    public var containers: [Container]
    public var initContainers: [Container]?
    public var nodeName: String?
    public var nodeSelector: [String: String]?
    public var priorityClassName: String?
    public var priority: Int32?
    public var schedulerName: String?
    public var tolerations: [Toleration]?
    public var affinity: Affinity?

    public init(containers: [Container], nodeName: String? = nil, nodeSelector: [String: String]? = nil, priorityClassName: String? = nil, tolerations: [Toleration]? = nil) {
        self.containers = containers
        self.nodeName = nodeName
        self.nodeSelector = nodeSelector
        self.priorityClassName = priorityClassName
        self.tolerations = tolerations
    }
}

public struct Container: Codable, Sendable, Hashable {
    public var name: String
    public var image: String?
    public var resources: ResourceRequirements?

    public init(name: String, image: String? = nil, resources: ResourceRequirements? = nil) {
        self.name = name
        self.image = image
        self.resources = resources
    }
}

/// Quantities stay strings (`"8"`, `"500m"`, `"16Gi"`) exactly as the server renders them.
public struct ResourceRequirements: Codable, Sendable, Hashable {
    public var limits: [String: String]?
    public var requests: [String: String]?

    public init(limits: [String: String]? = nil, requests: [String: String]? = nil) {
        self.limits = limits
        self.requests = requests
    }
}

public struct Toleration: Codable, Sendable, Hashable {
    public var key: String?
    public var `operator`: String?
    public var value: String?
    public var effect: String?
    public var tolerationSeconds: Int64?

    public init(key: String? = nil, operator: String? = nil, value: String? = nil, effect: String? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
    }
}

public struct PodStatus: Codable, Sendable, Hashable {
    public var phase: String?
    public var conditions: [PodCondition]?
    public var nominatedNodeName: String?
    public var startTime: String?
    /// The kubelet's view of each container; `state.running.startedAt` says when its image was pulled
    /// and it started (what the start-up phases measure the image pull by).
    public var containerStatuses: [ContainerStatus]?

    public init(phase: String? = nil, conditions: [PodCondition]? = nil, nominatedNodeName: String? = nil, startTime: String? = nil,
                containerStatuses: [ContainerStatus]? = nil) {
        self.phase = phase
        self.conditions = conditions
        self.nominatedNodeName = nominatedNodeName
        self.startTime = startTime
        self.containerStatuses = containerStatuses
    }
}

/// `core/v1 ContainerStatus`, reduced to readiness, restarts and state.
public struct ContainerStatus: Codable, Sendable, Hashable {
    public var name: String
    public var ready: Bool?
    /// Always written by the kubelet (0 before any restart).
    public var restartCount: Int32?
    /// Whether the container has started (and passed its startup probe, if any).
    public var started: Bool?
    public var image: String?
    public var state: ContainerState?

    public init(name: String, ready: Bool? = nil, restartCount: Int32? = nil, started: Bool? = nil, image: String? = nil,
                state: ContainerState? = nil) {
        self.name = name
        self.ready = ready
        self.restartCount = restartCount
        self.started = started
        self.image = image
        self.state = state
    }
}

/// Exactly one member is set, as the kubelet reports it.
public struct ContainerState: Codable, Sendable, Hashable {
    public var waiting: Waiting?
    public var running: Running?

    public init(waiting: Waiting? = nil, running: Running? = nil) {
        self.waiting = waiting
        self.running = running
    }

    public struct Waiting: Codable, Sendable, Hashable {
        /// `ContainerCreating`, `PodInitializing`, `ErrImagePull`, ...
        public var reason: String?
        public var message: String?

        public init(reason: String? = nil, message: String? = nil) {
            self.reason = reason
            self.message = message
        }
    }

    public struct Running: Codable, Sendable, Hashable {
        /// RFC 3339: when the container (last) started.
        public var startedAt: String?

        public init(startedAt: String? = nil) {
            self.startedAt = startedAt
        }
    }
}

/// Pod and Node conditions predate `metav1.Condition`: reason and message are optional and there is
/// no observedGeneration, so they get their own type.
public struct PodCondition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: String?

    public init(type: String, status: String, reason: String? = nil, message: String? = nil, lastTransitionTime: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}
