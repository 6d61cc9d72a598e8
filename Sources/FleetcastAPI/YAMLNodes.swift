import KubeAPI
import Yams

/// Reading Yams nodes the way Kubernetes' YAML-to-JSON conversion reads them.
enum YAMLNodes {
    /// The JSON value a scalar becomes: quoted and block scalars are strings; plain scalars resolve to
    /// null, booleans, integers and floats as YAML's core schema says, else strings.
    static func scalarValue(_ node: Node) -> JSONValue? {
        guard case .scalar(let scalar) = node else { return nil }
        if scalar.style != .plain || scalar.tag.rawValue == Tag.Name.str.rawValue {
            return .string(scalar.string)
        }
        // A plain scalar starting with a letter that begins no null or boolean word (null, ~, yes, no,
        // true, false, on, off) can only be a string: skip Yams' tag resolution, which runs regular
        // expressions and dominated loading time.
        if let first = scalar.string.unicodeScalars.first, first.properties.isAlphabetic,
           !"nNyYtTfFoO".unicodeScalars.contains(first) {
            return .string(scalar.string)
        }
        // Otherwise resolve the implicit tag once, not once per type asked about.
        switch node.tag.rawValue {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return Bool.construct(from: scalar).map(JSONValue.bool) ?? .string(scalar.string)
        case Tag.Name.int.rawValue: return Int.construct(from: scalar).map { .int(Int64($0)) } ?? .string(scalar.string)
        case Tag.Name.float.rawValue: return Double.construct(from: scalar).map(JSONValue.double) ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }

    /// The document as JSON, which is how Kubernetes decodes YAML (sigs.k8s.io/yaml converts to JSON
    /// first). Also much faster than decoding from Yams nodes, whose key lookups re-resolve tags.
    /// `nil` for aliases and non-string keys, which the schema check reports first.
    static func json(_ node: Node) -> JSONValue? {
        switch node {
        case .scalar:
            return scalarValue(node)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence {
                guard let value = json(item) else { return nil }
                items.append(value)
            }
            return .array(items)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .string(let name)? = scalarValue(key), let converted = json(value) else { return nil }
                members[name] = converted
            }
            return .object(members)
        case .alias:
            return nil
        }
    }

    static func isNull(_ node: Node) -> Bool {
        if case .scalar = node, scalarValue(node) == .null { return true }
        return false
    }

    /// The value under `key` in a mapping, with the key node (whose line is where a field "is").
    static func member(_ key: String, of node: Node) -> (key: Node, value: Node)? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.first { $0.key.string == key }
    }

    /// The line of the deepest node along `path` that exists: the field itself when present, else the
    /// nearest enclosing object (where a missing required field would have to be added).
    static func line(of path: FieldPath, in root: Node) -> Int? {
        var node = root
        var line = root.mark?.line
        for step in path.steps {
            switch step {
            case .field(let name), .key(let name):
                guard let found = member(name, of: node) else { return line }
                line = found.key.mark?.line ?? line
                node = found.value
            case .index(let index):
                guard case .sequence(let sequence) = node, index >= 0, index < sequence.count else { return line }
                node = sequence[index]
                line = node.mark?.line ?? line
            }
        }
        return line
    }
}
