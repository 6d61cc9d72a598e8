import KubeAPI

/// PUT of an object or its `/status`, with the resourceVersion precondition (409 when stale).
extension ClusterAPI {
    func update(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let body = try request.objectBody(target)
        if let bodyName = body.name, bodyName != target.name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(target.name ?? ""))")
        }
        let (object, warnings) = try replace(target, request: request) { _ throws(APIError) in body }
        return .json(render(object, target), warnings: warnings)
    }

    /// The shared read-modify-write: `change` maps the current object (rendered in the requested
    /// version) to the submitted one; the precondition, status split, generation and validation
    /// follow, atomically under the store's lock.
    func replace(_ target: ResourceTarget, request: APIRequest,
                 _ change: (JSONValue) throws(APIError) -> JSONValue) throws(APIError) -> (JSONValue, [String]) {
        let name = target.name ?? ""
        let preparation = preparation(request, target)
        let toStatus = target.subresource == "status"
        var warnings: [String] = []
        var result: JSONValue?
        let dryRun = request.isDryRun
        let applied = try store.commit { reader throws(APIError) -> [StoreChange] in
            guard let old = reader.get(target.type.key, namespace: target.storeNamespace, name: name) else { throw notFound(target) }
            var submitted = try change(render(old, target))
            if let precondition = submitted.resourceVersion, !precondition.isEmpty, precondition != old.resourceVersion {
                throw conflict(target)
            }
            submitted.setMetadata("name", .string(name))
            let prepared = try preparation.forUpdate(submitted, old: old, toStatus: toStatus)
            warnings = prepared.warnings
            result = prepared.object
            return dryRun ? [] : [StoreChange(key: target.type.key, namespace: target.storeNamespace, name: name, object: prepared.object)]
        }
        afterCommit(target.type.key, applied)
        if case .removed? = applied.first { intents.forget(target.type.key, namespace: target.storeNamespace, name: name) }
        guard let stored = applied.first?.object ?? result else { throw notFound(target) }
        return (stored, warnings)
    }
}
