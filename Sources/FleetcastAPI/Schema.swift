import KubeAPI

/// A structural OpenAPI v3 schema, the subset `apiextensions.k8s.io/v1` CRDs use. The GPUPool schema is
/// written once in this form (`GPUPoolSchema`) and serves two readers: the CRD generator publishes it to
/// the API server, and the manifest loader checks documents against it (unknown fields, types, enums,
/// required fields), so both reject the same manifests.
public struct Schema: Sendable {
    public enum DataType: String, Sendable, Hashable {
        case object, array, string, integer, number, boolean
    }

    /// A CEL rule (`x-kubernetes-validations`) for what one field's schema cannot say, such as min ≤ max.
    public struct Rule: Sendable, Hashable {
        public var rule: String
        public var message: String
        /// A CEL string expression for the message, so the server's wording can carry the values the Swift
        /// validation prints (`spec.nodes.min (2)`); `message` stays as the fallback.
        public var messageExpression: String?
        /// The field the API server reports the failure on (relative JSON path, e.g. `.max`).
        public var fieldPath: String?

        public init(_ rule: String, message: String, messageExpression: String? = nil, fieldPath: String? = nil) {
            self.rule = rule
            self.message = message
            self.messageExpression = messageExpression
            self.fieldPath = fieldPath
        }
    }

    public var type: DataType
    public var description: String
    /// Ordered as written, so the generated CRD is stable and reads top-down.
    public var properties: [(name: String, schema: Schema)] = []
    public var required: [String] = []
    /// One element when `type` is `array`; an array because a struct cannot hold itself directly.
    var itemSchemas: [Schema] = []
    /// One element for string-keyed maps (`additionalProperties`).
    var valueSchemas: [Schema] = []
    public var enumValues: [String] = []
    public var minimum: Double?
    public var exclusiveMinimum = false
    public var maximum: Double?
    public var exclusiveMaximum = false
    public var pattern: String?
    public var maxLength: Int?
    public var maxItems: Int?
    public var defaultValue: JSONValue?
    public var format: String?
    /// The string must parse as a Go duration (`KubeDuration`).
    public var isDuration = false
    public var rules: [Rule] = []
    /// `x-kubernetes-list-type`: `set` (no duplicate items) or `map` (unique by `listMapKeys`).
    public var listType: String?
    public var listMapKeys: [String] = []
    /// A field whose content the API server owns (`metadata`): published as a bare `type: object`
    /// and not descended into by the manifest checker.
    public var isOpaque = false

    public var items: Schema? { itemSchemas.first }
    public var additionalProperties: Schema? { valueSchemas.first }

    public init(_ type: DataType, _ description: String) {
        self.type = type
        self.description = description
    }

    public func property(_ name: String) -> Schema? {
        properties.first { $0.name == name }?.schema
    }
}

// Builders, so the GPUPool schema reads like the YAML it describes.
extension Schema {
    public static func object(_ description: String, required: [String] = [], _ properties: KeyValuePairs<String, Schema>) -> Schema {
        var schema = Schema(.object, description)
        schema.properties = properties.map { (name: $0.key, schema: $0.value) }
        schema.required = required
        return schema
    }

    /// A map from arbitrary string keys to `values` (`additionalProperties`).
    public static func map(_ description: String, values: Schema) -> Schema {
        var schema = Schema(.object, description)
        schema.valueSchemas = [values]
        return schema
    }

    public static func array(_ description: String, of items: Schema, maxItems: Int? = nil) -> Schema {
        var schema = Schema(.array, description)
        schema.itemSchemas = [items]
        schema.maxItems = maxItems
        return schema
    }

    public static func string(_ description: String, pattern: String? = nil, maxLength: Int? = nil) -> Schema {
        var schema = Schema(.string, description)
        schema.pattern = pattern
        schema.maxLength = maxLength
        return schema
    }

    public static func enumeration<E: RawRepresentable & CaseIterable>(_ description: String, _ type: E.Type) -> Schema
    where E.RawValue == String {
        var schema = Schema(.string, description)
        schema.enumValues = type.allCases.map(\.rawValue)
        return schema
    }

    /// A Go-syntax duration string; `positive` adds a CEL rule rejecting zero.
    public static func duration(_ description: String, positive: Bool) -> Schema {
        var schema = Schema(.string, description)
        schema.pattern = NamePatterns.duration
        schema.maxLength = 32
        schema.isDuration = true
        if positive {
            schema.rules = [Rule("duration(self) > duration('0s')", message: "must be greater than 0")]
        }
        return schema
    }

    /// A Go-syntax duration string inside `range`, checked by CEL rules worded as the Swift
    /// validation words them (`must be at least 10s`, `must be at most 24h0m0s`).
    public static func duration(_ description: String, within range: ClosedRange<KubeDuration>) -> Schema {
        var schema = duration(description, positive: range.lowerBound.nanoseconds > 0)
        if range.lowerBound.nanoseconds > 1 {
            schema.rules = [Rule("duration(self) >= duration('\(range.lowerBound)')", message: "must be at least \(range.lowerBound)")]
        }
        schema.rules.append(Rule("duration(self) <= duration('\(range.upperBound)')", message: "must be at most \(range.upperBound)"))
        return schema
    }

    public static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil) -> Schema {
        var schema = Schema(.integer, description)
        schema.format = "int32"
        schema.minimum = minimum.map(Double.init)
        schema.maximum = maximum.map(Double.init)
        return schema
    }

    public static func number(_ description: String, minimum: Double? = nil, exclusiveMinimum: Bool = false,
                              maximum: Double? = nil, exclusiveMaximum: Bool = false) -> Schema {
        var schema = Schema(.number, description)
        schema.minimum = minimum
        schema.exclusiveMinimum = exclusiveMinimum
        schema.maximum = maximum
        schema.exclusiveMaximum = exclusiveMaximum
        return schema
    }

    public static func boolean(_ description: String) -> Schema { Schema(.boolean, description) }

    public func defaulted(_ value: JSONValue) -> Schema {
        var copy = self
        copy.defaultValue = value
        return copy
    }

    public func validated(_ rules: Schema.Rule...) -> Schema {
        var copy = self
        copy.rules += rules
        return copy
    }

    /// A list whose items are unique by `keys` (`x-kubernetes-list-type: map`).
    public func keyed(by keys: String...) -> Schema {
        var copy = self
        copy.listType = "map"
        copy.listMapKeys = keys
        return copy
    }

    /// A list of unique scalars (`x-kubernetes-list-type: set`).
    public func asSet() -> Schema {
        var copy = self
        copy.listType = "set"
        return copy
    }

    public static func opaqueObject(_ description: String) -> Schema {
        var schema = Schema(.object, description)
        schema.isOpaque = true
        return schema
    }
}
