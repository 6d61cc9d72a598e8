import KubeAPI

/// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes a member, anything else
/// (arrays included) replaces the target whole.
enum MergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if case .null = value {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    /// The merge patch that turns `original` into `modified` (deleted members become `null`).
    static func diff(from original: JSONValue, to modified: JSONValue) -> JSONValue {
        guard case .object(let old) = original, case .object(let new) = modified else { return modified }
        var patch: [String: JSONValue] = [:]
        for (key, value) in new where old[key] != value {
            patch[key] = old[key].map { diff(from: $0, to: value) } ?? value
        }
        for key in old.keys where new[key] == nil {
            patch[key] = .null
        }
        return .object(patch)
    }
}
