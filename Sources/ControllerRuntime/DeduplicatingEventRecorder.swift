import Foundation
import Logging
import OrderedCollections

/// An event recorder that does not repeat itself. The same event (same object, type, reason and
/// message) recorded again within `window` of the last write is only counted; the next occurrence
/// after the window updates the existing Event with the accumulated count instead of creating a
/// new one. So a reconcile that says "forecast not ready" every 30 s writes once per window, and
/// `kubectl describe` still shows how often it happened (client-go's correlator keeps counts the
/// same way; Karpenter's recorder suppresses repeats within a timeout).
///
/// Remembers at most `capacity` distinct events, forgetting the least recently seen first
/// (client-go keeps 4096).
public actor DeduplicatingEventRecorder<C: Clock<Duration>>: EventRecorder {
    struct Key: Hashable {
        var object: EventObjectReference
        var type: EventType
        var reason: String
        var message: String
    }

    struct Entry {
        var event: EventRecord
        /// The stored Event's name; `nil` while the first write is in flight.
        var name: String?
        var lastWrite: C.Instant
    }

    let sink: any EventSink
    let clock: C
    let wallClock: @Sendable () -> Date
    let window: Duration
    let capacity: Int
    let reportingController: String
    let reportingInstance: String
    let logger: Logger
    private var entries: OrderedDictionary<Key, Entry> = [:]

    public init(
        sink: any EventSink,
        clock: C,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        window: Duration = .seconds(600),
        capacity: Int = 4096,
        reportingController: String,
        reportingInstance: String,
        logger: Logger
    ) {
        self.sink = sink
        self.clock = clock
        self.wallClock = wallClock
        self.window = window
        self.capacity = max(1, capacity)
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.logger = logger
    }

    /// Distinct events currently remembered.
    public var rememberedCount: Int { entries.count }

    public func record(_ type: EventType, reason: String, message: String, about object: EventObjectReference) async {
        let key = Key(object: object, type: type, reason: reason, message: message)
        let now = clock.now
        let stamp = wallClock()

        if var entry = entries.removeValue(forKey: key) {
            entry.event.count += 1
            entry.event.lastTimestamp = stamp
            let due = now >= entry.lastWrite.advanced(by: window)
            if due { entry.lastWrite = now }
            entries[key] = entry
            guard due, let name = entry.name else { return }
            await writeUpdate(of: key, event: entry.event, named: name)
            return
        }

        let event = EventRecord(
            involvedObject: object, type: type, reason: reason, message: message, count: 1,
            firstTimestamp: stamp, lastTimestamp: stamp,
            reportingController: reportingController, reportingInstance: reportingInstance
        )
        entries[key] = Entry(event: event, name: nil, lastWrite: now)
        if entries.count > capacity {
            entries.removeFirst(entries.count - capacity)
        }
        await writeNew(of: key, event: event)
    }

    private func writeNew(of key: Key, event: EventRecord) async {
        do {
            let name = try await sink.create(event)
            entries[key]?.name = name
        } catch {
            // Forget it, so the next occurrence tries to create it again.
            entries[key] = nil
            logger.warning("Could not write event", metadata: ["reason": "\(event.reason)", "error": "\(error)"])
        }
    }

    private func writeUpdate(of key: Key, event: EventRecord, named name: String) async {
        do {
            try await sink.update(event, named: name)
        } catch EventSinkError.notFound {
            // The Event expired on the server: start a new one.
            var fresh = event
            fresh.count = 1
            fresh.firstTimestamp = event.lastTimestamp
            entries[key]?.event = fresh
            entries[key]?.name = nil
            await writeNew(of: key, event: fresh)
        } catch {
            logger.warning("Could not update event", metadata: ["reason": "\(event.reason)", "error": "\(error)"])
        }
    }
}
