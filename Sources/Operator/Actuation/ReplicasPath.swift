import KubeAPI

/// A `replicasPath` such as `.spec.replicas`: dotted field names from the object's root.
struct ReplicasPath: Sendable, Hashable {
    var fields: [String]

    /// Nil when the path is empty or has an empty segment.
    init?(_ text: String) {
        let trimmed = text.hasPrefix(".") ? String(text.dropFirst()) : text
        let fields = trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !trimmed.isEmpty, !fields.contains(where: \.isEmpty) else { return nil }
        self.fields = fields
    }

    /// The integer at the path; a missing field reads as 0 (the API server omits zero replicas).
    func read(from object: JSONValue) -> Int? {
        var current = object
        for field in fields {
            guard case .object(let members) = current else { return nil }
            guard let next = members[field] else { return 0 }
            current = next
        }
        switch current {
        case .int(let value): return Int(value)
        case .double(let value) where value == value.rounded(): return Int(value)
        case .null: return 0
        default: return nil
        }
    }

    /// A merge patch setting the path to `replicas` (and the resourceVersion precondition).
    func mergePatch(replicas: Int, resourceVersion: String?) -> JSONValue {
        var value = JSONValue.int(Int64(replicas))
        for field in fields.reversed() { value = .object([field: value]) }
        guard let resourceVersion, case .object(var members) = value else { return value }
        var metadata: [String: JSONValue] = [:]
        if case .object(let existing)? = members["metadata"] { metadata = existing }
        metadata["resourceVersion"] = .string(resourceVersion)
        members["metadata"] = .object(metadata)
        return .object(members)
    }
}
