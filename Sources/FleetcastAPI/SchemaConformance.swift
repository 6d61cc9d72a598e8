import KubeAPI
import Yams

/// Checks a YAML document against a `Schema` the way the API server's strict decoding and structural
/// schema validation do: unknown fields, wrong types, unsupported enum values, missing required fields
/// and malformed durations are all reported, each with the line it is on. Ranges, patterns and
/// cross-field rules are left to `GPUPool.validate()`, which runs once the document decodes.
struct SchemaConformance {
    struct Problem {
        var error: FieldError
        var line: Int?
    }

    private(set) var problems: [Problem] = []
    /// Integer fields written as whole-number floats (`4.0`), which decoding must read as integers.
    private(set) var wholeNumberFloats: [FieldPath] = []

    mutating func check(_ node: Node, against schema: Schema, at path: FieldPath, line: Int?) {
        // Problems are reported on the line of the key holding the node (where a user looks for it).
        let line = line ?? node.mark?.line
        if YAMLNodes.isNull(node) { return } // null means absent, as in Kubernetes' JSON decoding
        if case .alias = node {
            problems.append(Problem(error: .forbidden(path, "YAML aliases are not supported"), line: line))
            return
        }
        switch schema.type {
        case .object: checkObject(node, schema, path, line)
        case .array: checkArray(node, schema, path, line)
        case .string, .integer, .number, .boolean: checkScalar(node, schema, path, line)
        }
    }

    private mutating func checkObject(_ node: Node, _ schema: Schema, _ path: FieldPath, _ line: Int?) {
        guard case .mapping(let mapping) = node else {
            return typeMismatch(node, "object", path, line)
        }
        if schema.isOpaque { return }
        var present = Set<String>()
        for (keyNode, value) in mapping {
            let keyLine = keyNode.mark?.line ?? line
            guard let key = keyNode.string else { continue }
            if let valueSchema = schema.additionalProperties {
                check(value, against: valueSchema, at: path.key(key), line: keyLine)
            } else if let propertySchema = schema.property(key) {
                if !YAMLNodes.isNull(value) { present.insert(key) }
                check(value, against: propertySchema, at: path.child(key), line: keyLine)
            } else {
                problems.append(Problem(error: .unknown(path.child(key)), line: keyLine))
            }
        }
        for key in schema.required where !present.contains(key) {
            problems.append(Problem(error: .required(path.child(key)), line: line))
        }
    }

    private mutating func checkArray(_ node: Node, _ schema: Schema, _ path: FieldPath, _ line: Int?) {
        guard case .sequence(let sequence) = node else {
            return typeMismatch(node, "array", path, line)
        }
        guard let items = schema.items else { return }
        for (index, item) in sequence.enumerated() {
            check(item, against: items, at: path.index(index), line: item.mark?.line ?? line)
        }
    }

    private mutating func checkScalar(_ node: Node, _ schema: Schema, _ path: FieldPath, _ line: Int?) {
        guard let value = YAMLNodes.scalarValue(node) else {
            return typeMismatch(node, schema.type.rawValue, path, line)
        }
        switch (schema.type, value) {
        case (.string, .string(let text)):
            if !schema.enumValues.isEmpty, !schema.enumValues.contains(text) {
                problems.append(Problem(error: .notSupported(path, value, supported: schema.enumValues), line: line))
            } else if schema.isDuration {
                do {
                    _ = try KubeDuration(parsing: text)
                } catch {
                    problems.append(Problem(error: .invalid(path, value, error.message), line: line))
                }
            }
        case (.integer, .int), (.number, .int), (.boolean, .bool):
            break
        case (.number, .double(let number)):
            if !number.isFinite { problems.append(Problem(error: .invalid(path, Self.asWritten(node), Self.notFinite), line: line)) }
        case (.integer, .double(let number)):
            // kube-apiserver's structural schema accepts a whole-number float for `type: integer` (4.0 is 4).
            if !number.isFinite {
                problems.append(Problem(error: .invalid(path, Self.asWritten(node), Self.notFinite), line: line))
            } else if number.rounded() != number {
                problems.append(Problem(error: .invalid(path, value, "must be a whole number"), line: line))
            } else if Double(Int64.min) > number || number >= Double(Int64.max) {
                problems.append(Problem(error: .invalid(path, value, "must be a whole number between \(Int64.min) and \(Int64.max)"), line: line))
            } else {
                wholeNumberFloats.append(path)
            }
        default:
            typeMismatch(node, schema.type.rawValue, path, line)
        }
    }

    private static let notFinite = "must be a finite number, not NaN or infinity"

    /// A value as the user wrote it (`.nan`, `-.inf`): JSON has no spelling for it.
    private static func asWritten(_ node: Node) -> JSONValue {
        .string(node.scalar?.string ?? "")
    }

    private mutating func typeMismatch(_ node: Node, _ expected: String, _ path: FieldPath, _ line: Int?) {
        let value: JSONValue
        switch node {
        case .scalar: value = YAMLNodes.scalarValue(node) ?? .null
        case .mapping: value = .string("object")
        case .sequence: value = .string("array")
        case .alias: value = .string("alias")
        }
        problems.append(Problem(error: FieldError(type: .typeInvalid, field: path, value: value, detail: "must be of type \(expected)"), line: line))
    }
}
