import KubeAPI

/// What a watch stream writes next.
enum WatchMessage: Sendable {
    case event(WatchEventType, JSONValue)
    /// The in-stream 410 `ERROR` event, after which the stream ends.
    case expired(Status)
    /// A BOOKMARK carrying the revision the store had when it was enqueued.
    case bookmark(Int64)
}

/// One open watch: its filter and the stream the HTTP response drains. `deliver` runs under the
/// store's lock, so it only filters and enqueues; selector transitions become ADDED/DELETED here
/// (apiserver `cache_watcher.go`).
final class WatchSubscription: Sendable {
    let filter: ObjectFilter
    let messages: AsyncStream<WatchMessage>
    private let continuation: AsyncStream<WatchMessage>.Continuation

    init(filter: ObjectFilter) {
        self.filter = filter
        (messages, continuation) = AsyncStream.makeStream(of: WatchMessage.self, bufferingPolicy: .unbounded)
    }

    /// Enqueues the event if it concerns this watch; returns `false` once the stream has ended.
    func deliver(_ event: StoredEvent) -> Bool {
        guard event.key == filter.key else { return true }
        let matchesNow = filter.matches(event.object)
        let matchedBefore = event.previous.map(filter.matches) ?? false
        let message: WatchMessage?
        switch event.type {
        case .added:
            message = matchesNow ? .event(.added, event.object) : nil
        case .modified:
            switch (matchedBefore, matchesNow) {
            case (true, true): message = .event(.modified, event.object)
            case (false, true): message = .event(.added, event.object)
            case (true, false):
                var previous = event.previous ?? event.object
                previous.setMetadata("resourceVersion", .string(String(event.revision)))
                message = .event(.deleted, previous)
            case (false, false): message = nil
            }
        case .deleted:
            message = (matchesNow || matchedBefore) ? .event(.deleted, event.object) : nil
        case .bookmark, .error:
            message = nil
        }
        guard let message else { return true }
        if case .terminated = continuation.yield(message) { return false }
        return true
    }

    func expire(requested: Int64, oldest: Int64) {
        let status = Status(status: "Failure", message: "too old resource version: \(requested) (\(oldest))",
                            reason: "Expired", code: 410)
        continuation.yield(.expired(status))
        continuation.finish()
    }

    func bookmark(at revision: Int64) {
        continuation.yield(.bookmark(revision))
    }

    func finish() {
        continuation.finish()
    }
}
