import KubeAPI

/// POST of a new object, and the pod `binding` subresource the scheduler uses.
extension ClusterAPI {
    func create(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let body = try request.objectBody(target)
        let (object, warnings) = try createObject(body, request: request, target: target)
        return .json(render(object, target), code: 201, warnings: warnings)
    }

    /// Creates `body` (POST, or an apply that finds no object) and returns the stored object.
    func createObject(_ body: JSONValue, request: APIRequest, target: ResourceTarget) throws(APIError) -> (JSONValue, [String]) {
        let (prepared, warnings) = try preparation(request, target).forCreate(body, namespace: target.namespace)
        let name = prepared.name ?? ""
        if let urlName = target.name, urlName != name {
            throw APIError.badRequest("the name of the object (\(name)) does not match the name on the URL (\(urlName))")
        }
        let dryRun = request.isDryRun
        let applied = try store.commit { reader throws(APIError) -> [StoreChange] in
            if let namespace = target.namespace, reader.get(ResourceKey(group: "", resource: "namespaces"), namespace: "", name: namespace) == nil {
                throw APIError.notFound(resource: "namespaces", group: "", name: namespace)
            }
            if reader.get(target.type.key, namespace: target.storeNamespace, name: name) != nil {
                throw APIError.alreadyExists(resource: target.type.plural, group: target.type.group, name: name)
            }
            if let namespace = target.namespace,
               reader.get(ResourceKey(group: "", resource: "namespaces"), namespace: "", name: namespace)?.isBeingDeleted == true {
                throw APIError(code: 403, reason: "Forbidden",
                               message: "\(APIError.qualified(target.type.plural, target.type.group)) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated")
            }
            return dryRun ? [] : [StoreChange(key: target.type.key, namespace: target.storeNamespace, name: name, object: prepared)]
        }
        let stored = applied.first?.object ?? prepared
        afterCommit(target.type.key, applied)
        return (stored, warnings)
    }

    func bind(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let body = try request.objectBody(target, kind: "Binding")
        guard let nodeName = body.value(at: ["target", "name"])?.stringValue, !nodeName.isEmpty else {
            throw APIError.invalid(kind: "Binding", group: "", name: target.name ?? "", errors: [.required("target.name")])
        }
        let name = target.name ?? ""
        _ = try store.commit { reader throws(APIError) -> [StoreChange] in
            guard var pod = reader.get(target.type.key, namespace: target.storeNamespace, name: name) else { throw notFound(target) }
            if let current = pod.value(at: ["spec", "nodeName"])?.stringValue, !current.isEmpty {
                throw APIError.conflict(resource: "pods", group: "", name: name, message: "pod \(name) is already assigned to node \"\(current)\"")
            }
            pod.setValue(.string(nodeName), at: ["spec", "nodeName"])
            return [StoreChange(key: target.type.key, namespace: target.storeNamespace, name: name, object: pod)]
        }
        return .json(.object(["kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
                              "status": .string("Success"), "code": .int(201)]), code: 201)
    }

    /// Keeps the served types in step with stored CRDs: a CRD write (re)installs its type; its removal
    /// uninstalls it and removes every object of it.
    func afterCommit(_ key: ResourceKey, _ applied: [AppliedChange]) {
        guard key == ResourceKey(group: "apiextensions.k8s.io", resource: "customresourcedefinitions") else { return }
        for change in applied {
            switch change {
            case .created(let crd), .updated(let crd):
                if let type = CustomResourceDefinitions.resourceType(from: crd) {
                    registry.setCustomType(crd.isBeingDeleted ? nil : type, for: type.key)
                }
            case .removed(let crd):
                guard let type = CustomResourceDefinitions.resourceType(from: crd) else { continue }
                registry.setCustomType(nil, for: type.key)
                _ = try? store.commit { reader throws(APIError) -> [StoreChange] in
                    reader.all(type.key).map {
                        StoreChange(key: type.key, namespace: $0.namespace ?? "", name: $0.name ?? "", object: nil)
                    }
                }
            case .unchanged, .absent:
                continue
            }
        }
    }
}
