import KubeAPI
import Synchronization

/// `PoolDecoding.decode` remembered per stored version of each pool. A reconcile decodes its own
/// pool and, for the one-writer-per-target check, every other pool; re-encoding and decoding them
/// all through Foundation's JSON coders was over 40 % of a steady operator's CPU (perf, docs/
/// benchmarks.md). The API server gives every write a new resourceVersion, so a pool whose uid and
/// resourceVersion are unchanged decodes to the same result; objects without a resourceVersion
/// (built in code) are decoded every time.
final class PoolDecodingCache: Sendable {
    private struct Entry {
        var uid: String?
        var resourceVersion: String
        var result: PoolDecoding.Result
    }

    private let entries = Mutex<[String: Entry]>([:])

    init() {}

    func decode(_ raw: JSONValue) -> PoolDecoding.Result {
        guard let version = raw.resourceVersion else { return PoolDecoding.decode(raw) }
        let key = Self.key(of: raw), uid = raw.uid
        if let entry = entries.withLock({ $0[key] }), entry.resourceVersion == version, entry.uid == uid {
            return entry.result
        }
        let result = PoolDecoding.decode(raw)
        entries.withLock { $0[key] = Entry(uid: uid, resourceVersion: version, result: result) }
        return result
    }

    /// The pool as last decoded, while its entry is kept: a deleted pool's spec, for releasing what it
    /// left on nodes.
    func last(namespace: String, name: String) -> PoolDecoding.Result? {
        entries.withLock { $0["\(namespace)/\(name)"]?.result }
    }

    /// Drops a deleted pool's entry.
    func forget(namespace: String, name: String) {
        _ = entries.withLock { $0.removeValue(forKey: "\(namespace)/\(name)") }
    }

    var count: Int { entries.withLock { $0.count } }

    private static func key(of raw: JSONValue) -> String {
        "\(raw.metadataString("namespace") ?? "")/\(raw.metadataString("name") ?? "")"
    }
}

extension JSONValue {
    /// `metadata.uid` of an object.
    var uid: String? { metadataString("uid") }

    func metadataString(_ field: String) -> String? {
        guard case .object(let root) = self, case .object(let metadata)? = root["metadata"],
              case .string(let value)? = metadata[field] else { return nil }
        return value
    }
}
