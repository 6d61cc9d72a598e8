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
        if node.null != nil { return .null }
        if let flag = node.bool { return .bool(flag) }
        if let number = node.int { return .int(Int64(number)) }
        if let number = node.float { return .double(number) }
        return .string(scalar.string)
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
