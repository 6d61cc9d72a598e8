import Foundation
import KubeAPI
import Synchronization

/// Paginated lists: the first page freezes the filtered result, later pages read from that frozen
/// snapshot (so every page reports the same resourceVersion), and tokens expire after a lifetime or
/// when the history is compacted, answering 410 Expired like the real server.
final class ListSnapshots: Sendable {
    struct Page {
        var items: [StoredObject]
        var revision: Int64
        var continueToken: String?
        var remaining: Int?
    }

    private struct Snapshot {
        var items: [StoredObject]
        var revision: Int64
        var created: ContinuousClock.Instant
    }

    private let snapshots = Mutex<[String: Snapshot]>([:])
    private let lifetime: Duration
    private let capacity = 64

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    func firstPage(of items: [StoredObject], revision: Int64, limit: Int) -> Page {
        let id = UUID().uuidString
        let now = ContinuousClock.now
        snapshots.withLock { snapshots in
            snapshots = snapshots.filter { now - $0.value.created < lifetime }
            if snapshots.count >= capacity, let oldest = snapshots.min(by: { $0.value.created < $1.value.created })?.key {
                snapshots[oldest] = nil
            }
            snapshots[id] = Snapshot(items: items, revision: revision, created: now)
        }
        return page(items, id: id, offset: 0, limit: limit, revision: revision)
    }

    func page(token: String, limit: Int?) throws(APIError) -> Page {
        guard let decoded = Self.decode(token),
              let separator = decoded.lastIndex(of: ":"), let offset = Int(decoded[decoded.index(after: separator)...]) else {
            throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        let id = String(decoded[..<separator])
        let now = ContinuousClock.now
        let snapshot = snapshots.withLock { snapshots -> Snapshot? in
            guard let snapshot = snapshots[id] else { return nil }
            if now - snapshot.created >= lifetime {
                snapshots[id] = nil
                return nil
            }
            return snapshot
        }
        guard let snapshot else {
            throw APIError.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
        }
        return page(snapshot.items, id: id, offset: offset, limit: limit ?? snapshot.items.count, revision: snapshot.revision)
    }

    private func page(_ items: [StoredObject], id: String, offset: Int, limit: Int, revision: Int64) -> Page {
        let start = min(max(0, offset), items.count)
        let end = min(items.count, start + limit)
        let remaining = items.count - end
        let token = remaining > 0 ? Self.encode("\(id):\(end)") : nil
        return Page(items: Array(items[start..<end]), revision: revision, continueToken: token, remaining: remaining > 0 ? remaining : nil)
    }

    /// Tokens are unpadded base64url, safe in a query string without escaping (as the real server's).
    private static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func decode(_ token: String) -> String? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// Expires every outstanding continue token (history compaction).
    func expireAll() {
        snapshots.withLock { $0.removeAll() }
    }
}
