import Foundation
import KubeAPI
import VirtualCluster

/// Typed in-process reads and writes against a running virtual cluster: what the simulated
/// controllers need, as paths they would use over HTTP, decoded into `KubeAPI` values or JSON.
struct ClusterObjects: Sendable {
    let cluster: RunningVirtualCluster

    private struct List<Item: Decodable>: Decodable {
        var items: [Item]
    }

    func list<Item: Decodable>(_ path: String, as type: Item.Type = Item.self, labelSelector: String? = nil) async throws -> [Item] {
        var query: [String: String] = [:]
        if let labelSelector { query["labelSelector"] = labelSelector }
        let data = try await cluster.serve(method: "GET", path: path, query: query)
        return try JSONDecoder().decode(List<Item>.self, from: data).items
    }

    func get<Item: Decodable>(_ path: String, as type: Item.Type = Item.self) async throws -> Item {
        try JSONDecoder().decode(Item.self, from: try await cluster.serve(method: "GET", path: path))
    }

    /// The object, or `nil` when it does not exist (404).
    func getIfPresent<Item: Decodable>(_ path: String, as type: Item.Type = Item.self) async throws -> Item? {
        do {
            return try await get(path, as: type)
        } catch let error as APIError where error.code == 404 {
            return nil
        }
    }

    @discardableResult
    func create<Item: Codable>(_ collectionPath: String, _ object: Item) async throws -> Item {
        let data = try await cluster.serve(method: "POST", path: collectionPath, body: try JSONEncoder().encode(object))
        return try JSONDecoder().decode(Item.self, from: data)
    }

    /// PUT of the whole object (or of its `/status` when `path` ends in it).
    @discardableResult
    func replace<Item: Codable>(_ path: String, _ object: Item) async throws -> Item {
        let data = try await cluster.serve(method: "PUT", path: path, body: try JSONEncoder().encode(object))
        return try JSONDecoder().decode(Item.self, from: data)
    }

    /// Writes `status` to `object`'s `/status` at `path` unless it is already there, without a
    /// resourceVersion precondition: controllers recompute status every step and must not fail
    /// because a user touched the object meanwhile.
    func replaceStatus(of object: JSONValue, at path: String, with status: [String: JSONValue]) async throws {
        guard JSONValue.object(status) != object.at("status") else { return }
        var updated = object.objectValue ?? [:]
        updated["status"] = .object(status)
        updated["metadata"] = object.at("metadata")?.removingResourceVersion
        try await replace("\(path)/status", JSONValue.object(updated))
    }

    /// A JSON merge patch (RFC 7386).
    func mergePatch(_ path: String, _ patch: JSONValue) async throws {
        _ = try await cluster.serve(method: "PATCH", path: path, body: try JSONEncoder().encode(patch))
    }

    /// Deletes the object; an object that is already gone is not an error (controllers race users).
    func delete(_ path: String) async throws {
        do {
            _ = try await cluster.serve(method: "DELETE", path: path)
        } catch where error.code == 404 {
            return
        }
    }

    /// The scheduler's `pods/binding` call.
    func bind(pod name: String, namespace: String, to node: String) async throws {
        let binding: JSONValue = .object([
            "apiVersion": .string("v1"), "kind": .string("Binding"),
            "metadata": .object(["name": .string(name), "namespace": .string(namespace)]),
            "target": .object(["apiVersion": .string("v1"), "kind": .string("Node"), "name": .string(node)]),
        ])
        _ = try await cluster.serve(method: "POST", path: "/api/v1/namespaces/\(namespace)/pods/\(name)/binding",
                                    body: try JSONEncoder().encode(binding))
    }
}

extension ClusterObjects {
    /// Garbage collection of pods whose controller of `kind` is gone (not among `owners`).
    func deleteOrphans(of kind: String, owners: [JSONValue], pods: [Pod], context: inout StepContext) async throws {
        let uids = Set(owners.map(\.objectUID))
        for pod in pods where pod.metadata.deletionTimestamp == nil {
            guard let owner = pod.metadata.ownerReferences?.first(where: { $0.kind == kind && $0.controller == true }),
                  !uids.contains(owner.uid) else { continue }
            try await delete(pod.path)
            context.record(.podDeleted, pod.key, "\(kind.lowercased()) \(owner.name) gone")
        }
    }
}
