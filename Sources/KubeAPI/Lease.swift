/// `coordination.k8s.io/v1 Lease`: the lock object of leader election. Times are MicroTime strings
/// (RFC 3339 with microseconds); every write is a PUT carrying the last seen resourceVersion.
public struct Lease: KubernetesResource, Hashable {
    public static let groupVersionResource = GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases")
    public static let kind = "Lease"
    public static let scope = ResourceScope.namespaced

    public var apiVersion: String? = Lease.apiVersion
    public var kind: String? = Lease.kind
    public var metadata: ObjectMeta
    public var spec: LeaseSpec?

    public init(metadata: ObjectMeta, spec: LeaseSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct LeaseSpec: Codable, Sendable, Hashable {
    public var holderIdentity: String?
    public var leaseDurationSeconds: Int32?
    public var acquireTime: String?
    public var renewTime: String?
    public var leaseTransitions: Int32?

    public init(holderIdentity: String? = nil, leaseDurationSeconds: Int32? = nil, acquireTime: String? = nil, renewTime: String? = nil, leaseTransitions: Int32? = nil) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}
