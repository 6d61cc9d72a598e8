import Foundation
import KubeAPI

/// The `/scale` subresource (autoscaling/v1 Scale) mapped through the type's replica and selector
/// paths. Writes change only the spec replicas path, honour a resourceVersion precondition and bump
/// the generation (kube-api-semantics.md §5.2).
extension ClusterAPI {
    func scale(of object: JSONValue, _ target: ResourceTarget) throws(APIError) -> JSONValue {
        guard let scale = target.type.scale else { throw APIError.unknownPath }
        let specReplicas: Int64
        if let value = object.value(at: scale.specReplicasPath)?.intValue {
            specReplicas = value
        } else if target.type.isCustom {
            throw APIError.internalError("the spec replicas field \".\(scale.specReplicasPath.joined(separator: "."))\" does not exist")
        } else {
            specReplicas = 1
        }
        var selector = ""
        if let path = scale.labelSelectorPath, let value = object.value(at: path) {
            if scale.selectorIsStructured, let structured = try? JSONDecoder().decode(LabelSelector.self, from: Data(value.jsonText.utf8)) {
                selector = structured.queryString
            } else {
                selector = value.stringValue ?? ""
            }
        }
        var metadata: [String: JSONValue] = [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { metadata[key] = object.metadata[key] }
        let spec: JSONValue = specReplicas == 0 ? .object([:]) : .object(["replicas": .int(specReplicas)])
        return .object([
            "kind": .string("Scale"), "apiVersion": .string("autoscaling/v1"), "metadata": .object(metadata), "spec": spec,
            "status": .object(["replicas": .int(object.value(at: scale.statusReplicasPath)?.intValue ?? 0), "selector": .string(selector)]),
        ])
    }

    /// `autoscaling/v1` Scale as a patchable type (strategic merge accepted, as for built-ins).
    static let scaleType = ResourceType(group: "autoscaling", versions: ["v1"], plural: "scales", singular: "scale", kind: "Scale",
                                        listKind: "ScaleList", namespaced: true)

    func getScale(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        guard let name = target.name, let object = store.get(target.type.key, namespace: target.storeNamespace, name: name) else {
            throw notFound(target)
        }
        return .json(try scale(of: object, target))
    }

    func updateScale(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let body = try request.objectBody(target, kind: "Scale")
        return try writeScale(request, target) { _ throws(APIError) in body }
    }

    func patchScale(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        try writeScale(request, target) { current throws(APIError) in
            try applyPatchBody(request, type: Self.scaleType, to: current)
        }
    }

    private func writeScale(_ request: APIRequest, _ target: ResourceTarget,
                            _ change: (JSONValue) throws(APIError) -> JSONValue) throws(APIError) -> APIResponse {
        guard let scaleSpec = target.type.scale else { throw APIError.unknownPath }
        var mainTarget = target
        mainTarget.subresource = nil
        let (object, _) = try replace(mainTarget, request: request) { current throws(APIError) in
            let submitted = try change(try scale(of: current, target))
            let replicas = submitted.value(at: ["spec", "replicas"])
            guard replicas == nil || replicas?.intValue != nil else {
                throw APIError.invalid(kind: "Scale", group: "autoscaling", name: target.name ?? "",
                                       errors: [.invalid("spec.replicas", replicas ?? .null, "must be an integer")])
            }
            if let count = replicas?.intValue, count < 0 {
                throw APIError.invalid(kind: "Scale", group: "autoscaling", name: target.name ?? "",
                                       errors: [.invalid("spec.replicas", .int(count), "must be greater than or equal to 0")])
            }
            var updated = current
            updated.setValue(.int(replicas?.intValue ?? 0), at: scaleSpec.specReplicasPath)
            updated.setMetadata("resourceVersion", submitted.value(at: ["metadata", "resourceVersion"]))
            if updated.resourceVersion?.isEmpty ?? true { updated.setMetadata("resourceVersion", current["metadata"]?["resourceVersion"]) }
            return updated
        }
        return .json(try scale(of: object, target))
    }
}
