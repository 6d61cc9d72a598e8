import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI

/// The ConfigMap a pool's demand history and planner state persist in. It lives in the operator's own
/// namespace (so the operator needs ConfigMap access there only, under a namespaced Role), named after
/// the pool's namespace and name, and says whose it is in annotations: the pool's `namespace/name` and
/// uid, so a pool deleted and re-created under the same name does not inherit the old one's history.
/// ConfigMaps hold at most 1 MiB; a history that would not fit in `maximumBytes` is refused with an
/// error naming its size rather than written and rejected by the server.
///
/// Earlier releases kept `<pool>-demand-history` next to the pool, owned by it; `legacyName` names
/// that one for the one-time migration (`KubeGPUPoolAPI.loadMemory`).
enum HistoryConfigMap {
    static let historyKey = "history.json"
    static let plannerStateKey = "plannerState.json"
    static let maximumBytes = 900 * 1024
    static let poolAnnotation = "fleetcast.dev/pool"
    static let poolUIDAnnotation = "fleetcast.dev/pool-uid"
    static let poolNamespaceLabel = "fleetcast.dev/pool-namespace"
    static let suffix = ".demand-history"
    /// The longest ConfigMap name (a DNS subdomain).
    static let maximumNameLength = 253

    struct TooLarge: Error, CustomStringConvertible {
        var bytes: Int
        var description: String {
            "encoded demand history is \(bytes) bytes, over the \(HistoryConfigMap.maximumBytes)-byte ConfigMap budget; shorten spec.forecast.history or lengthen spec.forecast.step"
        }
    }

    /// `<namespace>.<pool>.demand-history`: unique, because a namespace (a DNS label) has no dot. A
    /// name that would be too long keeps its start and ends in a hash of the whole.
    static func name(poolNamespace: String, pool: String) -> String {
        let full = "\(poolNamespace).\(pool)\(suffix)"
        guard full.utf8.count > maximumNameLength else { return full }
        let hash = String(fnv1a(full), radix: 16)
        var prefix = String(full.prefix(maximumNameLength - suffix.count - hash.count - 1))
        while let last = prefix.last, last == "." || last == "-" { prefix.removeLast() }
        return "\(prefix).\(hash)\(suffix)"
    }

    /// Where releases before the move kept a pool's history: next to the pool.
    static func legacyName(forPool pool: String) -> String { "\(pool)-demand-history" }

    static func encode(_ memory: StoredPoolMemory, for pool: GPUPool, in namespace: String) throws -> ConfigMap {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data: [String: String] = [:]
        if let history = memory.history {
            data[historyKey] = String(decoding: try encoder.encode(history), as: UTF8.self)
        }
        if let state = memory.plannerState {
            encoder.dateEncodingStrategy = .secondsSince1970
            data[plannerStateKey] = String(decoding: try encoder.encode(state), as: UTF8.self)
        }
        let size = data.values.reduce(0) { $0 + $1.utf8.count }
        guard size <= maximumBytes else { throw TooLarge(bytes: size) }
        let poolNamespace = pool.metadata.namespace ?? "", poolName = pool.metadata.name ?? ""
        var annotations = [poolAnnotation: "\(poolNamespace)/\(poolName)"]
        if let uid = pool.metadata.uid { annotations[poolUIDAnnotation] = uid }
        let metadata = ObjectMeta(name: name(poolNamespace: poolNamespace, pool: poolName), namespace: namespace,
                                  labels: ["app.kubernetes.io/managed-by": "fleetcast", poolNamespaceLabel: poolNamespace],
                                  annotations: annotations)
        return ConfigMap(metadata: metadata, data: data)
    }

    /// Whether a stored map belongs to this pool: its annotations name the pool, and the uid matches
    /// when both are known (a legacy map, owned by the pool, has no annotations and belongs to it).
    static func belongs(_ map: ConfigMap, to pool: GPUPool) -> Bool {
        let annotations = map.metadata.annotations ?? [:]
        if let named = annotations[poolAnnotation], named != "\(pool.metadata.namespace ?? "")/\(pool.metadata.name ?? "")" { return false }
        if let stored = annotations[poolUIDAnnotation], let uid = pool.metadata.uid, stored != uid { return false }
        return true
    }

    /// The stored memory; parts that fail to decode are dropped (the pool relearns), never fatal.
    static func decode(_ map: ConfigMap) -> StoredPoolMemory {
        let decoder = JSONDecoder()
        let history = map.data?[historyKey].flatMap { try? decoder.decode(DemandHistory.self, from: Data($0.utf8)) }
        decoder.dateDecodingStrategy = .secondsSince1970
        let state = map.data?[plannerStateKey].flatMap { try? decoder.decode(PlannerState.self, from: Data($0.utf8)) }
        return StoredPoolMemory(history: history, plannerState: state)
    }

    /// FNV-1a, 64 bits: a stable hash (Swift's `Hasher` is seeded per process).
    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
