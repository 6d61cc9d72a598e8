import KubeAPI
import Yams

/// Renders a `Schema` as the `openAPIV3Schema` of a CRD: ordered keys, so the output is stable and can
/// be compared byte for byte with the committed file.
enum SchemaYAML {
    static func node(_ schema: Schema) -> Node {
        var pairs: [(Node, Node)] = []
        func add(_ key: String, _ value: Node) { pairs.append((string(key), value)) }

        // The API server owns metadata's schema; a CRD may say no more about it than its type.
        if schema.isOpaque { return Node([(string("type"), string(schema.type.rawValue))]) }
        add("description", string(schema.description))
        add("type", string(schema.type.rawValue))
        if let format = schema.format { add("format", string(format)) }
        if !schema.enumValues.isEmpty { add("enum", Node(schema.enumValues.map(string))) }
        if let value = schema.defaultValue { add("default", json(value)) }
        if let minimum = schema.minimum {
            add("minimum", number(minimum))
            if schema.exclusiveMinimum { add("exclusiveMinimum", boolean(true)) }
        }
        if let maximum = schema.maximum {
            add("maximum", number(maximum))
            if schema.exclusiveMaximum { add("exclusiveMaximum", boolean(true)) }
        }
        if let maxLength = schema.maxLength { add("maxLength", integer(maxLength)) }
        if let pattern = schema.pattern { add("pattern", string(pattern)) }
        if let maxItems = schema.maxItems { add("maxItems", integer(maxItems)) }
        if let items = schema.items { add("items", node(items)) }
        if !schema.properties.isEmpty {
            add("properties", Node(schema.properties.map { (string($0.name), node($0.schema)) }))
        }
        if !schema.required.isEmpty { add("required", Node(schema.required.map(string))) }
        if let values = schema.additionalProperties { add("additionalProperties", node(values)) }
        if let listType = schema.listType { add("x-kubernetes-list-type", string(listType)) }
        if !schema.listMapKeys.isEmpty { add("x-kubernetes-list-map-keys", Node(schema.listMapKeys.map(string))) }
        if !schema.rules.isEmpty {
            add("x-kubernetes-validations", Node(schema.rules.map(rule)))
        }
        return Node(pairs)
    }

    static func rule(_ rule: Schema.Rule) -> Node {
        var pairs: [(Node, Node)] = [(string("rule"), string(rule.rule)), (string("message"), string(rule.message))]
        if let expression = rule.messageExpression {
            pairs.append((string("messageExpression"), string(expression)))
        }
        if let fieldPath = rule.fieldPath {
            pairs.append((string("fieldPath"), string(fieldPath)))
            pairs.append((string("reason"), string("FieldValueInvalid")))
        }
        return Node(pairs)
    }

    static func json(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null")
        case .bool(let flag): return boolean(flag)
        case .int(let number): return Node(String(number))
        case .double(let number): return self.number(number)
        case .string(let text): return string(text)
        case .array(let items): return Node(items.map(json), Tag(.seq), .flow)
        case .object(let members):
            return Node(members.sorted { $0.key < $1.key }.map { (string($0.key), json($0.value)) }, Tag(.map), .flow)
        }
    }

    /// A string scalar, quoted when plain YAML would read it as something else (`"5"`, `""`, `true`).
    /// YAML 1.1 readers (go-yaml behind the API server and kubectl, and Yams' default resolver) also
    /// take `True`, `yes`, `on`, `~` … as booleans or null, so those are quoted too: an unquoted
    /// `True` in an enum would reach the server as a boolean.
    static func string(_ text: String) -> Node {
        let plain = Node(text)
        if case .string? = YAMLNodes.scalarValue(plain), !text.isEmpty, !yaml11Keywords.contains(text) {
            return plain
        }
        return Node(text, Tag(.str), .singleQuoted)
    }

    /// Plain scalars a YAML 1.1 reader resolves to a boolean or null.
    static let yaml11Keywords: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
        "null", "Null", "NULL", "~",
    ]

    static func integer(_ value: Int) -> Node { Node(String(value)) }
    static func number(_ value: Double) -> Node { Node(GoSyntax.formatDouble(value)) }
    static func boolean(_ value: Bool) -> Node { Node(value ? "true" : "false") }
}
