import ControllerRuntime
import Synchronization

/// An event sink that keeps what was written, like an API server's event store, and can be told
/// to fail or to forget events (as the server does when they expire).
public final class RecordingEventSink: EventSink {
    public enum Write: Sendable, Hashable {
        case create(EventRecord)
        case update(String, EventRecord)
    }

    public struct Unavailable: Error, Hashable {}

    private struct State {
        var writes: [Write] = []
        var stored: [String: EventRecord] = [:]
        var nextName = 0
        var isAvailable = true
    }

    private let state = Mutex(State())

    public init() {}

    /// Every successful write, in order.
    public var writes: [Write] { state.withLock { $0.writes } }
    /// The events as stored now, by name.
    public var stored: [String: EventRecord] { state.withLock { $0.stored } }

    public var isAvailable: Bool {
        get { state.withLock { $0.isAvailable } }
        set { state.withLock { $0.isAvailable = newValue } }
    }

    /// Deletes every stored event, as their TTL would.
    public func expireAll() {
        state.withLock { $0.stored.removeAll() }
    }

    public func create(_ event: EventRecord) async throws -> String {
        try state.withLock { state in
            guard state.isAvailable else { throw Unavailable() }
            state.nextName += 1
            let name = "\(event.involvedObject.name).\(state.nextName)"
            state.stored[name] = event
            state.writes.append(.create(event))
            return name
        }
    }

    public func update(_ event: EventRecord, named name: String) async throws {
        try state.withLock { state in
            guard state.isAvailable else { throw Unavailable() }
            guard state.stored[name] != nil else { throw EventSinkError.notFound }
            state.stored[name] = event
            state.writes.append(.update(name, event))
        }
    }
}
