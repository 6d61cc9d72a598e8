import KubeAPI

/// DELETE: objects with finalizers get `deletionTimestamp` and stay until the last finalizer is
/// removed; others go at once. Namespaces take their contents with them. Response bodies follow
/// the real server (the object for pods and pending deletions, a Success `Status` otherwise).
extension ClusterAPI {
    func delete(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let options = request.body.isEmpty ? JSONValue.object([:]) : try request.objectBody(target, kind: "DeleteOptions")
        let name = target.name ?? ""
        let now = Timestamps.seconds(store.clock())
        let dryRun = request.isDryRun
        var wouldBe: JSONValue?
        let applied = try store.commit { reader throws(APIError) -> [StoreChange] in
            guard var object = reader.get(target.type.key, namespace: target.storeNamespace, name: name) else { throw notFound(target) }
            if let uid = options.value(at: ["preconditions", "uid"])?.stringValue, uid != object.metadata["uid"]?.stringValue {
                throw APIError.conflict(resource: target.type.plural, group: target.type.group, name: name,
                                        message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.metadata["uid"]?.stringValue ?? "")")
            }
            if let version = options.value(at: ["preconditions", "resourceVersion"])?.stringValue, version != object.resourceVersion {
                throw APIError.conflict(resource: target.type.plural, group: target.type.group, name: name,
                                        message: "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(object.resourceVersion ?? "")")
            }
            var changes: [StoreChange] = []
            if !object.finalizers.isEmpty {
                if !object.isBeingDeleted {
                    object.setMetadata("deletionTimestamp", .string(now))
                    object.setMetadata("deletionGracePeriodSeconds", .int(0))
                }
                changes.append(StoreChange(key: target.type.key, namespace: target.storeNamespace, name: name, object: object))
            } else {
                changes += contents(ofNamespace: name, reader: reader, when: target.type.key)
                changes.append(StoreChange(key: target.type.key, namespace: target.storeNamespace, name: name, object: nil))
            }
            wouldBe = object
            return dryRun ? [] : changes
        }
        for key in Set(applied.compactMap { $0.object.flatMap { ResourceKey(object: $0, registry: registry) } }) {
            afterCommit(key, applied.filter { $0.object.flatMap { ResourceKey(object: $0, registry: registry) } == key })
        }
        guard let last = applied.last ?? wouldBe.map(AppliedChange.updated) else { throw notFound(target) }
        switch last {
        case .removed(let object):
            intents.forget(target.type.key, namespace: target.storeNamespace, name: name)
            if target.type.returnsDeletedObject { return .json(render(object, target)) }
            return .json(successStatus(object, target))
        case .updated(let object), .unchanged(let object), .created(let object):
            return .json(render(object, target))
        case .absent:
            throw notFound(target)
        }
    }

    /// DELETE on a collection: deletes every object matching the selectors, like repeated DELETEs.
    func deleteCollection(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let matching = store.list(try filter(request, target)).items.map(\.value)
        var deleted: [JSONValue] = []
        for object in matching {
            var single = target
            single.name = object.name
            var plain = request
            plain.body = .init()
            if case .text = try delete(plain, single).body { deleted.append(render(object, target)) }
        }
        return .json(.object(["kind": .string(target.type.listKind), "apiVersion": .string(target.type.apiVersion(for: target.version)),
                              "metadata": .object(["resourceVersion": .string(String(store.currentRevision))]), "items": .array(deleted)]))
    }

    /// Removals of everything inside a namespace that is being deleted.
    private func contents(ofNamespace namespace: String, reader: StoreReader, when key: ResourceKey) -> [StoreChange] {
        guard key == ResourceKey(group: "", resource: "namespaces") else { return [] }
        return reader.keys().flatMap { bucket in
            reader.all(bucket).filter { $0.namespace == namespace }.map {
                StoreChange(key: bucket, namespace: namespace, name: $0.name ?? "", object: nil)
            }
        }
    }

    private func successStatus(_ object: JSONValue, _ target: ResourceTarget) -> JSONValue {
        .object([
            "kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]), "status": .string("Success"),
            "details": .object(["name": .string(object.name ?? ""), "group": .string(target.type.group),
                                "kind": .string(target.type.plural), "uid": object.metadata["uid"] ?? .string("")]),
        ])
    }
}

extension ResourceKey {
    /// The bucket an object belongs to, from its `apiVersion` and `kind`.
    init?(object: JSONValue, registry: ResourceRegistry) {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else { return nil }
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        guard let type = registry.all.first(where: { $0.group == group && $0.kind == kind }) else { return nil }
        self = type.key
    }
}
