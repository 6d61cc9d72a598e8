import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import KubeClient

/// `GPUPoolAPI` over the Kubernetes API: pools, their status and memory through `client` (the
/// workload cluster), targets through `targets` (the same cluster, or a Cluster API management cluster).
final class KubeGPUPoolAPI: GPUPoolAPI {
    let client: KubeClient
    let fieldManager: String
    /// The GPUPool informer, when pools are read from its cache (the operator); nil reads each from
    /// the API server.
    let pools: Informer<PoolSelectors>?
    /// Where the history ConfigMaps are kept: the operator's own namespace.
    let historyNamespace: String
    /// Reads and writes the targets.
    let targets: KubeTargetAPI

    /// - Parameter targetClient: the cluster holding the targets; default `client`.
    init(client: KubeClient, targetClient: KubeClient? = nil, pools: Informer<PoolSelectors>? = nil, historyNamespace: String,
         fieldManager: String = "fleetcast-operator") {
        self.client = client
        self.pools = pools
        self.historyNamespace = historyNamespace
        self.fieldManager = fieldManager
        self.targets = KubeTargetAPI(client: targetClient ?? client, fieldManager: fieldManager)
    }

    /// From the informer's cache once it has synced (a pool absent from a synced cache is deleted);
    /// before that, and without an informer, from the API server.
    func pool(namespace: String, name: String) async throws -> JSONValue? {
        if let pools, pools.hasSynced {
            guard let cached = pools.get(namespace: namespace, name: name) else { return nil }
            if let object = cached.object { return object }
        }
        return try await client.getIfPresent(GPUPool.descriptor, name: name, namespace: namespace, as: JSONValue.self)
    }

    func allPools() async throws -> [JSONValue] {
        if let pools, pools.hasSynced { return pools.list().compactMap(\.object) }
        return try await client.list(GPUPool.descriptor, namespace: nil, options: ListOptions(), as: JSONValue.self).items
    }

    func writeStatus(_ status: GPUPoolStatus, namespace: String, name: String) async throws {
        struct Body: Encodable { var status: GPUPoolStatus }
        let body = try JSONEncoder().encode(Body(status: status))
        _ = try await client.patch(GPUPool.descriptor, name: name, namespace: namespace, type: .merge, body: body,
                                   subresource: "status", options: WriteOptions(fieldManager: fieldManager), as: JSONValue.self)
    }

    func replicas(of target: ScaleTargetSpec, namespace: String) async throws(TargetError) -> TargetReplicas {
        try await targets.replicas(of: target, namespace: namespace)
    }

    func setReplicas(_ replicas: Int, of target: ScaleTargetSpec, namespace: String, read: TargetReplicas) async throws(TargetError) {
        try await targets.setReplicas(replicas, of: target, namespace: namespace, read: read)
    }

    func setMinimumSize(_ size: Int, of target: ScaleTargetSpec, namespace: String, read: TargetReplicas) async throws(TargetError) {
        try await targets.setMinimumSize(size, of: target, namespace: namespace, read: read)
    }

    /// The pool's history from the operator's namespace; if there is none yet, the one an earlier
    /// release kept next to the pool is migrated once: read, written to the new place, deleted.
    /// Without permission to read the old place (the migration role is not bound) the pool starts
    /// with an empty history, as a new pool does.
    func loadMemory(of pool: GPUPool) async throws -> StoredPoolMemory? {
        let name = HistoryConfigMap.name(poolNamespace: pool.metadata.namespace ?? "", pool: pool.metadata.name ?? "")
        if let map = try await client.getIfPresent(ConfigMap.descriptor, name: name, namespace: historyNamespace, as: ConfigMap.self) {
            return HistoryConfigMap.belongs(map, to: pool) ? HistoryConfigMap.decode(map) : nil
        }
        return try await migrateLegacyMemory(of: pool)
    }

    private func migrateLegacyMemory(of pool: GPUPool) async throws -> StoredPoolMemory? {
        let legacyName = HistoryConfigMap.legacyName(forPool: pool.metadata.name ?? "")
        let legacy: ConfigMap?
        do {
            legacy = try await client.getIfPresent(ConfigMap.descriptor, name: legacyName, namespace: pool.metadata.namespace, as: ConfigMap.self)
        } catch {
            guard case .forbidden = error else { throw error }
            return nil
        }
        guard let legacy, HistoryConfigMap.belongs(legacy, to: pool) else { return nil }
        let memory = HistoryConfigMap.decode(legacy)
        try await saveMemory(memory, of: pool)
        do {
            try await client.delete(ConfigMap.descriptor, name: legacyName, namespace: pool.metadata.namespace, options: DeleteOptions())
        } catch {
            // Gone already, or not ours to delete: it is owned by the pool and goes with it.
            switch error {
            case .notFound, .forbidden: break
            default: throw error
            }
        }
        return memory
    }

    func saveMemory(_ memory: StoredPoolMemory, of pool: GPUPool) async throws {
        let map = try HistoryConfigMap.encode(memory, for: pool, in: historyNamespace)
        let name = map.metadata.name ?? ""
        let body = try JSONEncoder().encode(map)
        try await patchOrCreate(map, name: name, namespace: historyNamespace, body: body)
    }

    /// Deletes a deleted pool's history (it has no owner reference to the pool: owners cannot be in
    /// another namespace).
    func deleteMemory(namespace: String, name: String) async throws {
        do {
            try await client.delete(ConfigMap.descriptor, name: HistoryConfigMap.name(poolNamespace: namespace, pool: name),
                                    namespace: historyNamespace, options: DeleteOptions())
        } catch {
            guard case .notFound = error else { throw error }
        }
    }

    static let daemonSets = ResourceDescriptor(GroupVersionResource(group: "apps", version: "v1", resource: "daemonsets"),
                                               scope: .namespaced, kind: "DaemonSet")

    func daemonSet(namespace: String, name: String) async throws -> JSONValue? {
        try await client.getIfPresent(Self.daemonSets, name: name, namespace: namespace, as: JSONValue.self)
    }

    func apply(_ change: PrePullDaemonSet.Change, namespace: String, name: String) async throws {
        let options = WriteOptions(fieldManager: fieldManager)
        switch change {
        case .none, .foreign:
            return
        case .create(let object):
            _ = try await client.create(Self.daemonSets, namespace: namespace, object: object, options: options)
        case .update(let object):
            _ = try await client.update(Self.daemonSets, name: name, namespace: namespace, object: object, subresource: nil, options: options)
        case .delete:
            do {
                try await client.delete(Self.daemonSets, name: name, namespace: namespace, options: DeleteOptions())
            } catch {
                guard case .notFound = error else { throw error }
            }
        }
    }

    private func patchOrCreate(_ map: ConfigMap, name: String, namespace: String?, body: Data) async throws(KubeError) {
        do {
            _ = try await client.patch(ConfigMap.descriptor, name: name, namespace: namespace, type: .merge, body: body,
                                       subresource: nil, options: WriteOptions(fieldManager: fieldManager), as: ConfigMap.self)
        } catch {
            guard case .notFound = error else { throw error }
            _ = try await client.create(ConfigMap.descriptor, namespace: namespace, object: map,
                                        options: WriteOptions(fieldManager: fieldManager))
        }
    }
}

extension KubeClient {
    /// The object, or nil on 404.
    func getIfPresent<T: Decodable & Sendable>(_ resource: ResourceDescriptor, name: String, namespace: String?, as type: T.Type) async throws(KubeError) -> T? {
        do {
            return try await get(resource, name: name, namespace: namespace, subresource: nil, as: type)
        } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }
}

extension TargetError {
    init(_ error: KubeError, what: String) {
        switch error {
        case .notFound: self = .notFound("\(what) not found")
        case .conflict: self = .conflict("\(what) changed since it was read")
        default: self = .failed("\(what): \(error)")
        }
    }
}

extension JSONValue {
    /// `metadata.annotations` of an object (string values only).
    var annotations: [String: String] {
        guard case .object(let root) = self, case .object(let metadata)? = root["metadata"],
              case .object(let annotations)? = metadata["annotations"] else { return [:] }
        return annotations.compactMapValues { if case .string(let value) = $0 { return value } else { return nil } }
    }

    /// `metadata.resourceVersion` of an object.
    var resourceVersion: String? {
        guard case .object(let root) = self, case .object(let metadata)? = root["metadata"],
              case .string(let version)? = metadata["resourceVersion"] else { return nil }
        return version
    }
}
