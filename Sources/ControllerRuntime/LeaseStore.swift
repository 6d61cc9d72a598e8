import Foundation

/// What leader election reads and writes: the spec of a `coordination.k8s.io/v1` Lease (client-go's
/// `LeaderElectionRecord`) plus the object's resourceVersion for optimistic concurrency.
public struct LeaseRecord: Sendable, Hashable {
    /// Who holds the lease; empty when nobody does (a released lease).
    public var holderIdentity: String
    /// How long candidates wait, from when they last saw the record change, before taking it over.
    public var leaseDurationSeconds: Int
    public var acquireTime: Date?
    public var renewTime: Date?
    /// How many times the lease changed holders.
    public var leaseTransitions: Int
    /// Set by the store; an update must carry the version it read or it fails with a conflict.
    public var resourceVersion: String?

    public init(
        holderIdentity: String,
        leaseDurationSeconds: Int,
        acquireTime: Date? = nil,
        renewTime: Date? = nil,
        leaseTransitions: Int = 0,
        resourceVersion: String? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
        self.resourceVersion = resourceVersion
    }

    /// Whether the lease's content is the same, whatever its resourceVersion. A candidate restarts
    /// its expiry countdown only when the content changes (client-go compares the raw record).
    public func hasSameSpec(as other: LeaseRecord) -> Bool {
        var other = other
        other.resourceVersion = resourceVersion
        return self == other
    }
}

/// Where the lease lives. The operator adapts this to the Lease API (get, create, update with
/// resourceVersion preconditions); tests use an in-memory store. Implementations must fail an
/// update whose resourceVersion is stale with ``LeaseStoreError/conflict``.
public protocol LeaseStore: Sendable {
    /// The current lease, or `nil` if it does not exist.
    func get() async throws -> LeaseRecord?
    /// Creates the lease; fails with ``LeaseStoreError/alreadyExists`` if another candidate won the race.
    func create(_ record: LeaseRecord) async throws -> LeaseRecord
    /// Replaces the lease if `record.resourceVersion` is current; returns it with its new version.
    func update(_ record: LeaseRecord) async throws -> LeaseRecord
}

public enum LeaseStoreError: Error, Sendable, Hashable {
    /// The lease changed since it was read (HTTP 409 on update).
    case conflict
    /// The lease was created by someone else first (HTTP 409 on create).
    case alreadyExists
}
