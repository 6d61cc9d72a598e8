/// `core/v1 Event`: what `kubectl describe` shows under an object. The operator posts one per
/// occurrence; `type` is `Normal` or `Warning`, `reason` a CamelCase constant.
public struct Event: KubernetesResource, Hashable {
    public static let groupVersionResource = GroupVersionResource(group: "", version: "v1", resource: "events")
    public static let kind = "Event"
    public static let scope = ResourceScope.namespaced

    public var apiVersion: String? = Event.apiVersion
    public var kind: String? = Event.kind
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String?
    public var type: String?
    public var source: EventSource?
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var count: Int32?
    public var eventTime: String?
    public var action: String?
    public var reportingComponent: String?
    public var reportingInstance: String?

    public init(metadata: ObjectMeta, involvedObject: ObjectReference, reason: String? = nil, message: String? = nil, type: String? = nil, source: EventSource? = nil, firstTimestamp: String? = nil, lastTimestamp: String? = nil, count: Int32? = nil) {
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
    }
}

public struct EventSource: Codable, Sendable, Hashable {
    public var component: String?
    public var host: String?

    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }
}
