import KubeAPI

/// Strategic merge patch for the built-in kinds: like a merge patch, but lists with a patch merge key
/// (containers, env and volumes by `name`, ports by `containerPort`, conditions by `type`, …) merge
/// element by element, and the directives `$patch`, `$setElementOrder/…`, `$retainKeys` and
/// `$deleteFromPrimitiveList/…` are honoured. This is what keeps a pod's GPU limit when kubectl's
/// client-side apply updates its image (kube-api-semantics.md, surprise 4).
enum StrategicMergePatch {
    /// Patch merge keys by field name, as declared on the Kubernetes core/apps/batch types.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
        "ports": "containerPort", "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "conditions": "type", "imagePullSecrets": "name", "hostAliases": "ip", "addresses": "type",
        "ownerReferences": "uid", "resourceClaims": "name", "topologySpreadConstraints": "topologyKey",
    ]
    /// Primitive lists whose patch strategy is `merge` (set union).
    static let mergedPrimitiveLists: Set<String> = ["finalizers"]

    static func apply(_ patch: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        guard case .object = patch else { throw APIError.badRequest("a strategic merge patch must be a JSON object") }
        return mergeObject(patch, into: target)
    }

    private static func mergeObject(_ patch: JSONValue, into target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        if patchMembers["$patch"]?.stringValue == "replace" { return stripDirectives(patch) }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers where !key.hasPrefix("$") {
            switch value {
            case .null:
                result[key] = nil
            case .object:
                if value["$patch"]?.stringValue == "delete" {
                    result[key] = nil
                } else {
                    result[key] = mergeObject(value, into: result[key] ?? .object([:]))
                }
            case .array(let elements):
                if let mergeKey = mergeKeys[key] {
                    result[key] = .array(mergeList(elements, into: result[key]?.arrayValue ?? [], mergeKey: mergeKey))
                } else if mergedPrimitiveLists.contains(key) {
                    var merged = result[key]?.arrayValue ?? []
                    for element in elements where !merged.contains(element) { merged.append(element) }
                    result[key] = .array(merged)
                } else {
                    result[key] = stripDirectives(value)
                }
            default:
                result[key] = value
            }
        }
        for (key, value) in patchMembers where key.hasPrefix("$deleteFromPrimitiveList/") {
            let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
            let removed = value.arrayValue ?? []
            if let existing = result[field]?.arrayValue {
                result[field] = .array(existing.filter { !removed.contains($0) })
            }
        }
        for (key, value) in patchMembers where key.hasPrefix("$setElementOrder/") {
            let field = String(key.dropFirst("$setElementOrder/".count))
            if let existing = result[field]?.arrayValue, let order = value.arrayValue {
                result[field] = .array(reorder(existing, by: order, mergeKey: mergeKeys[field]))
            }
        }
        if let retained = patchMembers["$retainKeys"]?.arrayValue?.compactMap(\.stringValue) {
            let keep = Set(retained)
            result = result.filter { keep.contains($0.key) }
        }
        return .object(result)
    }

    private static func mergeList(_ patchElements: [JSONValue], into target: [JSONValue], mergeKey: String) -> [JSONValue] {
        if patchElements.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return patchElements.filter { $0["$patch"]?.stringValue != "replace" }.map(stripDirectives)
        }
        var result = target
        for element in patchElements {
            guard let keyValue = element[mergeKey] else {
                result.append(stripDirectives(element))
                continue
            }
            let index = result.firstIndex { $0[mergeKey] == keyValue }
            if element["$patch"]?.stringValue == "delete" {
                if let index { result.remove(at: index) }
            } else if let index {
                result[index] = mergeObject(element, into: result[index])
            } else {
                result.append(mergeObject(element, into: .object([:])))
            }
        }
        return result
    }

    private static func reorder(_ elements: [JSONValue], by order: [JSONValue], mergeKey: String?) -> [JSONValue] {
        func identity(_ value: JSONValue) -> JSONValue { mergeKey.flatMap { value[$0] } ?? value }
        let positions = Dictionary(order.enumerated().map { (identity($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        return elements.enumerated().sorted { lhs, rhs in
            let left = positions[identity(lhs.element)] ?? Int.max
            let right = positions[identity(rhs.element)] ?? Int.max
            return left == right ? lhs.offset < rhs.offset : left < right
        }.map(\.element)
    }

    /// Removes directive members (`$patch`, `$setElementOrder/…`, …) from a value stored as-is.
    static func stripDirectives(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.filter { !$0.key.hasPrefix("$") }.mapValues(stripDirectives))
        case .array(let elements):
            return .array(elements.map(stripDirectives))
        default:
            return value
        }
    }
}
