import Foundation
import KubeAPI

/// Typed conveniences over the descriptor-based calls, for types that know where they live. They are
/// extensions on the protocols, so fakes get them for free.
extension KubeReader {
    public func get<R: KubernetesResource>(_ type: R.Type, name: String, namespace: String? = nil) async throws(KubeError) -> R {
        try await get(R.descriptor, name: name, namespace: namespace, subresource: nil, as: R.self)
    }

    public func list<R: KubernetesResource>(_ type: R.Type, namespace: String? = nil, options: ListOptions = ListOptions()) async throws(KubeError) -> ObjectList<R> {
        try await list(R.descriptor, namespace: namespace, options: options, as: R.self)
    }

    /// Reads the `/scale` subresource of any scalable resource.
    public func scale(_ resource: ResourceDescriptor, name: String, namespace: String?) async throws(KubeError) -> Scale {
        try await get(resource, name: name, namespace: namespace, subresource: "scale", as: Scale.self)
    }
}

extension KubeWriter {
    public func create<R: KubernetesResource>(_ object: R, options: WriteOptions = WriteOptions()) async throws(KubeError) -> R {
        try await create(R.descriptor, namespace: object.metadata.namespace, object: object, options: options)
    }

    /// PUT of the whole object; fails with `.conflict` if it changed since it was read.
    public func update<R: KubernetesResource>(_ object: R, options: WriteOptions = WriteOptions()) async throws(KubeError) -> R {
        try await update(R.descriptor, name: try Self.name(of: object), namespace: object.metadata.namespace, object: object, subresource: nil, options: options)
    }

    /// PUT to `/status`: only `.status` is taken from the object.
    public func updateStatus<R: KubernetesResource>(_ object: R, options: WriteOptions = WriteOptions()) async throws(KubeError) -> R {
        try await update(R.descriptor, name: try Self.name(of: object), namespace: object.metadata.namespace, object: object, subresource: "status", options: options)
    }

    public func patch<R: KubernetesResource, Body: Encodable>(_ type: R.Type, name: String, namespace: String? = nil, type patchType: PatchType, body: Body, subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws(KubeError) -> R {
        let data: Data
        do {
            data = try JSONEncoder().encode(body)
        } catch {
            throw .decoding("cannot encode patch: \(error)")
        }
        return try await patch(R.descriptor, name: name, namespace: namespace, type: patchType, body: data, subresource: subresource, options: options, as: R.self)
    }

    /// Server-side apply of a full intent object.
    public func apply<R: KubernetesResource>(_ object: R, fieldManager: String, force: Bool = false, subresource: String? = nil) async throws(KubeError) -> R {
        try await patch(R.self, name: try Self.name(of: object), namespace: object.metadata.namespace, type: .apply(fieldManager: fieldManager, force: force), body: object, subresource: subresource)
    }

    public func delete<R: KubernetesResource>(_ type: R.Type, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()) async throws(KubeError) {
        try await delete(R.descriptor, name: name, namespace: namespace, options: options)
    }

    /// Sets replicas through `/scale` with the merge patch cluster-autoscaler uses; 0 is sent explicitly.
    public func setScale(_ resource: ResourceDescriptor, name: String, namespace: String?, replicas: Int32) async throws(KubeError) -> Scale {
        let body = Data("{\"spec\":{\"replicas\":\(replicas)}}".utf8)
        return try await patch(resource, name: name, namespace: namespace, type: .merge, body: body, subresource: "scale", options: WriteOptions(), as: Scale.self)
    }

    /// PUT of a Scale; a non-empty `metadata.resourceVersion` makes it conditional.
    public func updateScale(_ resource: ResourceDescriptor, _ scale: Scale) async throws(KubeError) -> Scale {
        guard let name = scale.metadata.name else { throw .decoding("Scale has no metadata.name") }
        return try await update(resource, name: name, namespace: scale.metadata.namespace, object: scale, subresource: "scale", options: WriteOptions())
    }

    static func name<R: KubernetesResource>(of object: R) throws(KubeError) -> String {
        guard let name = object.metadata.name, !name.isEmpty else {
            throw .invalid(Status(message: "\(R.kind) has no metadata.name", reason: "Invalid", code: 422))
        }
        return name
    }
}

extension KubeWatcher {
    public func watch<R: KubernetesResource>(_ type: R.Type, namespace: String? = nil, options: ListOptions = ListOptions(), allowBookmarks: Bool = true) async throws(KubeError) -> WatchStream<R> {
        try await watch(R.descriptor, namespace: namespace, options: options, allowBookmarks: allowBookmarks, as: R.self)
    }
}
