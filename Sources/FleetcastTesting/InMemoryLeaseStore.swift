import ControllerRuntime
import Synchronization

/// A lease store with the API server's concurrency rules: every write gets a new resourceVersion,
/// an update carrying a stale one fails with a conflict, and a second create fails. Several
/// electors share one store to play several replicas. `isAvailable = false` makes every call fail
/// as an unreachable API server would; `overwrite` plays a writer outside the election.
public final class InMemoryLeaseStore: LeaseStore {
    public struct Unavailable: Error, Hashable {}

    private struct State {
        var record: LeaseRecord?
        var version = 0
        var isAvailable = true
        var writes = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The lease as stored now.
    public var record: LeaseRecord? { state.withLock { $0.record } }

    /// Successful creates and updates so far.
    public var writes: Int { state.withLock { $0.writes } }

    public var isAvailable: Bool {
        get { state.withLock { $0.isAvailable } }
        set { state.withLock { $0.isAvailable = newValue } }
    }

    /// Replaces the lease regardless of its version, as another writer would.
    public func overwrite(_ record: LeaseRecord) {
        state.withLock { state in
            state.version += 1
            var record = record
            record.resourceVersion = String(state.version)
            state.record = record
        }
    }

    public func get() async throws -> LeaseRecord? {
        try state.withLock { state in
            guard state.isAvailable else { throw Unavailable() }
            return state.record
        }
    }

    public func create(_ record: LeaseRecord) async throws -> LeaseRecord {
        try state.withLock { state in
            guard state.isAvailable else { throw Unavailable() }
            guard state.record == nil else { throw LeaseStoreError.alreadyExists }
            return Self.write(record, into: &state)
        }
    }

    public func update(_ record: LeaseRecord) async throws -> LeaseRecord {
        try state.withLock { state in
            guard state.isAvailable else { throw Unavailable() }
            guard let current = state.record, current.resourceVersion == record.resourceVersion else {
                throw LeaseStoreError.conflict
            }
            return Self.write(record, into: &state)
        }
    }

    private static func write(_ record: LeaseRecord, into state: inout State) -> LeaseRecord {
        state.version += 1
        state.writes += 1
        var stored = record
        stored.resourceVersion = String(state.version)
        state.record = stored
        return stored
    }
}
