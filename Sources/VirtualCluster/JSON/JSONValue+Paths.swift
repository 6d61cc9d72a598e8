import KubeAPI

/// Navigation and in-place edits of nested objects by key path (`["metadata", "labels"]`). Only
/// object members are addressed; list elements are handled by the patch and schema code.
extension JSONValue {
    func value(at path: [String]) -> JSONValue? {
        var current: JSONValue = self
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    /// Sets `newValue` at `path`, creating intermediate objects; `nil` removes the member.
    mutating func setValue(_ newValue: JSONValue?, at path: [String]) {
        guard let first = path.first else {
            self = newValue ?? .null
            return
        }
        var members = objectValue ?? [:]
        if path.count == 1 {
            members[first] = newValue
        } else {
            var child = members[first] ?? .object([:])
            if child.objectValue == nil { child = .object([:]) }
            child.setValue(newValue, at: Array(path.dropFirst()))
            members[first] = child
        }
        self = .object(members)
    }

    /// Parses a dotted path such as `.spec.replicas` (the form CRD subresource paths and printer
    /// columns use) into keys. `nil` when it contains list indices or is empty.
    static func keyPath(fromDotted text: String) -> [String]? {
        let trimmed = text.hasPrefix(".") ? String(text.dropFirst()) : text
        guard !trimmed.isEmpty, !trimmed.contains("[") else { return nil }
        return trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9e18: return Int64(value)
        default: return nil
        }
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The `metadata` member as an object (empty when missing).
    var metadata: [String: JSONValue] { self["metadata"]?.objectValue ?? [:] }

    var name: String? { metadata["name"]?.stringValue }
    var namespace: String? { metadata["namespace"]?.stringValue }
    var resourceVersion: String? { metadata["resourceVersion"]?.stringValue }
    var labels: [String: String] {
        (metadata["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }
    var finalizers: [String] { (metadata["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue) }
    var isBeingDeleted: Bool { metadata["deletionTimestamp"] != nil }

    mutating func setMetadata(_ key: String, _ value: JSONValue?) {
        setValue(value, at: ["metadata", key])
    }

    /// The member names of an object value, for error messages and pruning.
    var memberNames: [String] { (objectValue ?? [:]).keys.sorted() }

    /// The name JSON Schema uses for this value's type (`integer` for whole numbers).
    var schemaTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
