/// Names a collection on the API server: `/apis/<group>/<version>/<resource>` (or `/api/v1/<resource>`
/// for the core group). Resource names are plural and lowercase, which is what URLs use, not the Kind.
public struct GroupVersionResource: Sendable, Hashable, Codable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var resource: String

    public init(group: String, version: String, resource: String) {
        self.group = group
        self.version = version
        self.resource = resource
    }

    /// `v1` for the core group, `group/version` otherwise: the form `apiVersion` fields use.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `pods` or `machinedeployments.cluster.x-k8s.io`, as kubectl and error messages print it.
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

/// Whether objects of a resource live in a namespace; decides the URL shape.
public enum ResourceScope: String, Sendable, Hashable, Codable {
    case namespaced = "Namespaced"
    case cluster = "Cluster"
}

/// A persisted Kubernetes object type the typed client can read and write. Conform custom resources
/// (CRDs) the same way as built-in kinds: the type states where it lives, the client does the rest.
public protocol KubernetesResource: Codable, Sendable {
    /// The collection the type is served from.
    static var groupVersionResource: GroupVersionResource { get }
    /// The `kind` field value, e.g. `Pod`.
    static var kind: String { get }
    /// Namespaced or cluster-scoped.
    static var scope: ResourceScope { get }
    var metadata: ObjectMeta { get set }
}

extension KubernetesResource {
    /// The `apiVersion` field value matching `groupVersionResource`.
    public static var apiVersion: String { groupVersionResource.apiVersion }
}

/// A list response: `{"kind":"PodList","metadata":{resourceVersion,continue},"items":[…]}`. Items
/// decode as `Item`; the list's own `apiVersion` and `kind` are kept only when present.
public struct ObjectList<Item: Codable & Sendable>: Codable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta
    public var items: [Item]

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ListMeta = ListMeta(), items: [Item]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, items }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        // The server writes `"items": null` for an empty list of some kinds.
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
    }
}

extension ObjectList: Equatable where Item: Equatable {}

/// A resource chosen at run time (a GPUPool's `target` may be any scalable kind): where it lives and
/// what its objects are called.
public struct ResourceDescriptor: Sendable, Hashable, CustomStringConvertible {
    public var groupVersionResource: GroupVersionResource
    public var scope: ResourceScope
    public var kind: String

    public init(_ groupVersionResource: GroupVersionResource, scope: ResourceScope, kind: String) {
        self.groupVersionResource = groupVersionResource
        self.scope = scope
        self.kind = kind
    }

    public var description: String { groupVersionResource.description }
}

extension KubernetesResource {
    /// This type's descriptor.
    public static var descriptor: ResourceDescriptor { ResourceDescriptor(groupVersionResource, scope: scope, kind: kind) }
}
