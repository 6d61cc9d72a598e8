import KubeAPI

/// PATCH in the four content types: merge, JSON, strategic merge (built-in kinds only; 415 for
/// custom resources, as the real CRD handler answers) and server-side apply.
extension ClusterAPI {
    static let mergePatch = "application/merge-patch+json"
    static let jsonPatch = "application/json-patch+json"
    static let strategicMergePatch = "application/strategic-merge-patch+json"
    static let applyPatch = "application/apply-patch+yaml"

    func acceptedPatchTypes(_ type: ResourceType) -> [String] {
        type.acceptsStrategicMerge ? [Self.jsonPatch, Self.mergePatch, Self.strategicMergePatch, Self.applyPatch]
            : [Self.jsonPatch, Self.mergePatch, Self.applyPatch]
    }

    /// Applies a non-apply patch body of the request's content type to `object`.
    func applyPatchBody(_ request: APIRequest, type: ResourceType, to object: JSONValue) throws(APIError) -> JSONValue {
        if request.query["force"] != nil {
            throw APIError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "",
                                   errors: [.forbidden("force", "may not be specified for non-apply patch")])
        }
        switch request.mediaType {
        case Self.mergePatch: return MergePatch.apply(try request.jsonBody(), to: object)
        case Self.jsonPatch: return try JSONPatch.apply(try request.jsonBody(), to: object)
        case Self.strategicMergePatch where type.acceptsStrategicMerge:
            return try StrategicMergePatch.apply(try request.jsonBody(), to: object)
        default:
            throw APIError.unsupportedMediaType(request.mediaType, accepted: acceptedPatchTypes(type))
        }
    }

    func patch(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        if request.mediaType == Self.applyPatch {
            return try apply(request, target)
        }
        let (object, warnings) = try replace(target, request: request) { current throws(APIError) in
            try applyPatchBody(request, type: target.type, to: current)
        }
        return .json(render(object, target), warnings: warnings)
    }

    /// Server-side apply: creates the object (201) or merges the manager's intent (200).
    private func apply(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        try ApplyPatch.validateOptions(fieldManager: request.query["fieldManager"])
        let manager = request.query["fieldManager"] ?? ""
        let intent = try ApplyPatch.parse(request.body)
        guard case .object = intent else { throw APIError.badRequest("the apply body must be an object") }
        let name = target.name ?? ""
        if let bodyName = intent.name, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let key = target.type.key
        let namespace = target.storeNamespace
        if target.subresource == nil, store.get(key, namespace: namespace, name: name) == nil {
            let (object, warnings) = try createObject(intent, request: request, target: target)
            if !request.isDryRun { intents.remember(intent, key, namespace: namespace, name: name, manager: manager) }
            return .json(render(object, target), code: 201, warnings: warnings)
        }
        let previous = intents.previous(key, namespace: namespace, name: name, manager: manager)
        let patch = ApplyPatch.patch(intent: intent, previous: previous)
        let (object, warnings) = try replace(target, request: request) { current throws(APIError) in
            var merged = target.type.acceptsStrategicMerge ? try StrategicMergePatch.apply(patch, to: current) : MergePatch.apply(patch, to: current)
            if intent.resourceVersion == nil { merged.setMetadata("resourceVersion", current["metadata"]?["resourceVersion"]) }
            return merged
        }
        if !request.isDryRun { intents.remember(intent, key, namespace: namespace, name: name, manager: manager) }
        return .json(render(object, target), warnings: warnings)
    }
}
