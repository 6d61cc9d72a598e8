import Foundation
import KubeAPI

/// A watch response body: newline-delimited `{"type":…,"object":…}` lines, written as events
/// arrive, with optional bookmarks, ending at `timeoutSeconds`, on an in-stream 410, or when the
/// cluster drops all watches.
struct WatchStream: Sendable {
    let subscription: WatchSubscription
    let store: ObjectStore
    let type: ResourceType
    let version: String
    let allowBookmarks: Bool
    let timeout: Duration?
    let bookmarkInterval: Duration
    /// Renders an object for this watch (apiVersion of the requested version, Table rows…).
    let render: @Sendable (JSONValue) -> JSONValue

    /// Writes lines until the stream ends; `write` sends and flushes one chunk.
    func run(write: @escaping @Sendable (String) async throws -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for await message in subscription.messages {
                        try await write(line(for: message))
                        if case .expired = message { break }
                    }
                } catch {
                    // The client went away; stop watching.
                }
                store.endWatch(subscription)
            }
            group.addTask {
                await tick()
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Sends periodic bookmarks and ends the stream at the deadline (with a final bookmark, as the
    /// real server sends one shortly before it).
    private func tick() async {
        let start = ContinuousClock.now
        while !Task.isCancelled {
            var wait = bookmarkInterval
            if let timeout {
                let remaining = timeout - (ContinuousClock.now - start)
                if remaining <= .zero {
                    if allowBookmarks { store.bookmark(subscription) }
                    store.endWatch(subscription)
                    return
                }
                wait = allowBookmarks ? min(wait, remaining) : remaining
            }
            do {
                try await Task.sleep(for: wait)
            } catch {
                return
            }
            if allowBookmarks, timeout.map({ ContinuousClock.now - start < $0 }) ?? true {
                store.bookmark(subscription)
            }
        }
    }

    private func line(for message: WatchMessage) -> String {
        let event: JSONValue
        switch message {
        case .event(let type, let object):
            event = .object(["type": .string(type.rawValue), "object": render(object)])
        case .expired(let status):
            let encoded = (try? JSONEncoder().encode(status)).flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }
            event = .object(["type": .string(WatchEventType.error.rawValue), "object": encoded ?? .null])
        case .bookmark(let revision):
            let object: JSONValue = .object([
                "kind": .string(type.kind), "apiVersion": .string(type.apiVersion(for: version)),
                "metadata": .object(["resourceVersion": .string(String(revision))]),
            ])
            event = .object(["type": .string(WatchEventType.bookmark.rawValue), "object": object])
        }
        return event.jsonText + "\n"
    }
}
