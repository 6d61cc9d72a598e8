import DequeModule
import Foundation
import KubeAPI
import Synchronization

/// The kinds of watch event (`watch.EventType`).
enum WatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}

/// One committed change, kept in the bounded history so watches can resume from a resourceVersion.
struct StoredEvent: Sendable {
    var revision: Int64
    var key: ResourceKey
    var type: WatchEventType
    var object: JSONValue
    /// The object before the change (for selector transitions); `nil` for ADDED.
    var previous: JSONValue?
}

/// A requested change: put `object` (create or replace) or remove the object named.
struct StoreChange: Sendable {
    var key: ResourceKey
    var namespace: String
    var name: String
    /// `nil` removes the object.
    var object: JSONValue?
}

/// What a committed change did, with the object as stored (new resourceVersion stamped).
enum AppliedChange: Sendable {
    case created(JSONValue)
    case updated(JSONValue)
    case unchanged(JSONValue)
    case removed(JSONValue)
    case absent

    var object: JSONValue? {
        switch self {
        case .created(let object), .updated(let object), .unchanged(let object), .removed(let object): return object
        case .absent: return nil
        }
    }
}

/// The in-memory store: every object of every resource, one global resourceVersion counter, and a
/// bounded event history. All reads and writes go through one lock, so a read-modify-write (a PATCH,
/// an RV precondition) is atomic and watchers see events in commit order without gaps.
final class ObjectStore: Sendable {
    struct State: Sendable {
        var revision: Int64 = 0
        var buckets: [ResourceKey: [String: StoredObject]] = [:]
        var history: Deque<StoredEvent> = []
        /// Every event with a revision at or below this one is gone from `history`.
        var compactedThrough: Int64 = 0
        var watches: [WatchSubscription] = []
    }

    let historyCapacity: Int
    let clock: @Sendable () -> Date
    private let state = Mutex(State())

    init(historyCapacity: Int, clock: @escaping @Sendable () -> Date) {
        self.historyCapacity = max(1, historyCapacity)
        self.clock = clock
    }

    static func objectID(namespace: String, name: String) -> String { "\(namespace)/\(name)" }

    var currentRevision: Int64 { state.withLock { $0.revision } }

    /// How many watch streams are registered (tests wait on it instead of sleeping).
    var openWatchCount: Int { state.withLock { $0.watches.count } }

    func get(_ key: ResourceKey, namespace: String, name: String) -> JSONValue? {
        state.withLock { $0.buckets[key]?[Self.objectID(namespace: namespace, name: name)]?.value }
    }

    /// Every object of `key` matching `filter`, sorted by namespace and name, and the snapshot revision.
    /// The stored versions come with their cached encodings, so serving them re-encodes nothing.
    func list(_ filter: ObjectFilter) -> (items: [StoredObject], revision: Int64) {
        let (bucket, revision) = state.withLock { ($0.buckets[filter.key] ?? [:], $0.revision) }
        let items = bucket.keys.sorted().compactMap { id -> StoredObject? in
            guard let object = bucket[id], filter.matches(object.value) else { return nil }
            return object
        }
        return (items, revision)
    }

    /// Reads under the lock, lets `plan` decide the changes, then commits them atomically: each real
    /// change gets the next revision and an event; changes equal to the stored object are skipped.
    func commit(_ plan: (StoreReader) throws(APIError) -> [StoreChange]) throws(APIError) -> [AppliedChange] {
        try state.withLock { (state: inout State) throws(APIError) -> [AppliedChange] in
            let changes = try plan(StoreReader(buckets: state.buckets))
            return changes.map { apply($0, to: &state) }
        }
    }

    private func apply(_ change: StoreChange, to state: inout State) -> AppliedChange {
        let id = Self.objectID(namespace: change.namespace, name: change.name)
        let current = state.buckets[change.key]?[id]?.value
        guard var object = change.object else {
            guard var removed = current else { return .absent }
            state.revision += 1
            removed.setMetadata("resourceVersion", .string(String(state.revision)))
            state.buckets[change.key]?[id] = nil
            record(StoredEvent(revision: state.revision, key: change.key, type: .deleted, object: removed, previous: current), in: &state)
            return .removed(removed)
        }
        if let current {
            object.setMetadata("resourceVersion", current["metadata"]?["resourceVersion"])
            if object == current { return .unchanged(current) }
        } else {
            if object.metadata["uid"] == nil { object.setMetadata("uid", .string(UUID().uuidString.lowercased())) }
            if object.metadata["creationTimestamp"] == nil {
                object.setMetadata("creationTimestamp", .string(Timestamps.seconds(clock())))
            }
        }
        state.revision += 1
        object.setMetadata("resourceVersion", .string(String(state.revision)))
        if object.isBeingDeleted && object.finalizers.isEmpty {
            if current == nil { return .absent }
            state.buckets[change.key]?[id] = nil
            record(StoredEvent(revision: state.revision, key: change.key, type: .deleted, object: object, previous: current), in: &state)
            return .removed(object)
        }
        state.buckets[change.key, default: [:]][id] = StoredObject(object)
        let type: WatchEventType = current == nil ? .added : .modified
        record(StoredEvent(revision: state.revision, key: change.key, type: type, object: object, previous: current), in: &state)
        return current == nil ? .created(object) : .updated(object)
    }

    private func record(_ event: StoredEvent, in state: inout State) {
        state.history.append(event)
        while state.history.count > historyCapacity, let dropped = state.history.popFirst() {
            state.compactedThrough = dropped.revision
        }
        state.watches.removeAll { !$0.deliver(event) }
    }

    /// Forgets the whole event history: every resourceVersion before now becomes "too old".
    func compactHistory() {
        state.withLock { state in
            state.history.removeAll()
            state.compactedThrough = state.revision
        }
    }

    /// Registers a watch. From a specific revision it replays retained history (or reports 410);
    /// otherwise it starts with synthetic ADDED events for the current objects.
    func watch(_ subscription: WatchSubscription, after revision: Int64?) {
        state.withLock { state in
            if let revision {
                if revision < state.compactedThrough {
                    subscription.expire(requested: revision, oldest: state.compactedThrough + 1)
                    return
                }
                for event in state.history where event.revision > revision {
                    _ = subscription.deliver(event)
                }
            } else {
                for id in (state.buckets[subscription.filter.key] ?? [:]).keys.sorted() {
                    guard let object = state.buckets[subscription.filter.key]?[id]?.value else { continue }
                    _ = subscription.deliver(StoredEvent(revision: state.revision, key: subscription.filter.key,
                                                         type: .added, object: object, previous: nil))
                }
            }
            state.watches.append(subscription)
        }
    }

    /// Enqueues a BOOKMARK in order with the events already delivered to this watch.
    func bookmark(_ subscription: WatchSubscription) {
        state.withLock { state in subscription.bookmark(at: state.revision) }
    }

    func endWatch(_ subscription: WatchSubscription) {
        state.withLock { state in state.watches.removeAll { $0 === subscription } }
        subscription.finish()
    }

    /// Ends every open watch stream (fault injection, shutdown).
    func endAllWatches() {
        let watches = state.withLock { state in
            defer { state.watches.removeAll() }
            return state.watches
        }
        watches.forEach { $0.finish() }
    }
}

/// Read access to the store inside `commit`.
struct StoreReader {
    fileprivate let buckets: [ResourceKey: [String: StoredObject]]

    func get(_ key: ResourceKey, namespace: String, name: String) -> JSONValue? {
        buckets[key]?[ObjectStore.objectID(namespace: namespace, name: name)]?.value
    }

    func all(_ key: ResourceKey) -> [JSONValue] {
        (buckets[key] ?? [:]).sorted { $0.key < $1.key }.map(\.value.value)
    }

    func keys() -> [ResourceKey] { Array(buckets.keys) }
}

/// Timestamp formats of the API (`metav1.Time` with seconds, `MicroTime` with microseconds).
enum Timestamps {
    static func seconds(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// Parses the seconds form back (for ages in tables).
    static func date(from text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}
