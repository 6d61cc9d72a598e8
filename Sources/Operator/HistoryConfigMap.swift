import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI

/// The ConfigMap a pool's demand history and planner state persist in: named after the pool, owned
/// by it (so it is garbage-collected with it), the history in `DemandHistory`'s compact encoding.
/// ConfigMaps hold at most 1 MiB; a history that would not fit in `maximumBytes` is refused with an
/// error naming its size rather than written and rejected by the server.
enum HistoryConfigMap {
    static let historyKey = "history.json"
    static let plannerStateKey = "plannerState.json"
    static let maximumBytes = 900 * 1024

    struct TooLarge: Error, CustomStringConvertible {
        var bytes: Int
        var description: String {
            "encoded demand history is \(bytes) bytes, over the \(HistoryConfigMap.maximumBytes)-byte ConfigMap budget; shorten spec.forecast.history or lengthen spec.forecast.step"
        }
    }

    static func name(forPool pool: String) -> String { "\(pool)-demand-history" }

    static func encode(_ memory: StoredPoolMemory, for pool: GPUPool) throws -> ConfigMap {
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
        let owner = OwnerReference(apiVersion: GPUPool.apiVersion, kind: GPUPool.kind, name: pool.metadata.name ?? "",
                                   uid: pool.metadata.uid ?? "", controller: true)
        let metadata = ObjectMeta(name: name(forPool: pool.metadata.name ?? ""), namespace: pool.metadata.namespace,
                                  labels: ["app.kubernetes.io/managed-by": "fleetcast", "fleetcast.dev/pool": pool.metadata.name ?? ""],
                                  ownerReferences: [owner])
        return ConfigMap(metadata: metadata, data: data)
    }

    /// The stored memory; parts that fail to decode are dropped (the pool relearns), never fatal.
    static func decode(_ map: ConfigMap) -> StoredPoolMemory {
        let decoder = JSONDecoder()
        let history = map.data?[historyKey].flatMap { try? decoder.decode(DemandHistory.self, from: Data($0.utf8)) }
        decoder.dateDecodingStrategy = .secondsSince1970
        let state = map.data?[plannerStateKey].flatMap { try? decoder.decode(PlannerState.self, from: Data($0.utf8)) }
        return StoredPoolMemory(history: history, plannerState: state)
    }
}
