import KubeAPI

/// The parts of a CRD's `openAPIV3Schema` the API server enforces, read once when the CRD is
/// created. Unknown keywords are ignored (as in a structural schema they only document).
final class StructuralSchema: Sendable {
    let type: String?
    let properties: [String: StructuralSchema]
    let items: StructuralSchema?
    /// `additionalProperties` as a schema (maps); `true` counts as "anything".
    let additionalProperties: StructuralSchema?
    let additionalPropertiesAllowed: Bool
    let required: [String]
    let enumValues: [JSONValue]?
    let minimum: Double?
    let maximum: Double?
    let exclusiveMinimum: Bool
    let exclusiveMaximum: Bool
    let minLength: Int?
    let maxLength: Int?
    let minItems: Int?
    let maxItems: Int?
    let minProperties: Int?
    let maxProperties: Int?
    let pattern: String?
    let format: String?
    let nullable: Bool
    let defaultValue: JSONValue?
    let preservesUnknownFields: Bool
    let intOrString: Bool
    let embeddedResource: Bool
    let listType: String?
    let listMapKeys: [String]
    /// `x-kubernetes-validations` rules, kept for documentation: CEL is not evaluated (docs say so).
    let celRules: [String]
    /// Value-validation branches (`anyOf`/`oneOf`/`allOf`) as they appear in generated CRDs.
    let anyOf: [StructuralSchema]
    let allOf: [StructuralSchema]
    let oneOf: [StructuralSchema]

    init(_ json: JSONValue) {
        let members = json.objectValue ?? [:]
        type = members["type"]?.stringValue
        properties = (members["properties"]?.objectValue ?? [:]).mapValues(StructuralSchema.init)
        items = members["items"].map(StructuralSchema.init)
        switch members["additionalProperties"] {
        case .object?: additionalProperties = members["additionalProperties"].map(StructuralSchema.init); additionalPropertiesAllowed = true
        case .bool(let allowed)?: additionalProperties = nil; additionalPropertiesAllowed = allowed
        default: additionalProperties = nil; additionalPropertiesAllowed = false
        }
        required = (members["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        enumValues = members["enum"]?.arrayValue
        minimum = members["minimum"]?.numberValue
        maximum = members["maximum"]?.numberValue
        exclusiveMinimum = members["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = members["exclusiveMaximum"]?.boolValue ?? false
        minLength = members["minLength"]?.intValue.map(Int.init)
        maxLength = members["maxLength"]?.intValue.map(Int.init)
        minItems = members["minItems"]?.intValue.map(Int.init)
        maxItems = members["maxItems"]?.intValue.map(Int.init)
        minProperties = members["minProperties"]?.intValue.map(Int.init)
        maxProperties = members["maxProperties"]?.intValue.map(Int.init)
        pattern = members["pattern"]?.stringValue
        format = members["format"]?.stringValue
        nullable = members["nullable"]?.boolValue ?? false
        defaultValue = members["default"]
        preservesUnknownFields = members["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        intOrString = members["x-kubernetes-int-or-string"]?.boolValue ?? false
        embeddedResource = members["x-kubernetes-embedded-resource"]?.boolValue ?? false
        listType = members["x-kubernetes-list-type"]?.stringValue
        listMapKeys = (members["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
        celRules = (members["x-kubernetes-validations"]?.arrayValue ?? []).compactMap { $0["rule"]?.stringValue }
        anyOf = (members["anyOf"]?.arrayValue ?? []).map(StructuralSchema.init)
        allOf = (members["allOf"]?.arrayValue ?? []).map(StructuralSchema.init)
        oneOf = (members["oneOf"]?.arrayValue ?? []).map(StructuralSchema.init)
    }

    /// The schema for a member of an object with this schema, or `nil` if the member is unknown.
    func schema(forMember name: String) -> StructuralSchema? {
        properties[name] ?? additionalProperties
    }

    /// Whether unknown members of an object value are kept rather than pruned.
    var keepsUnknownMembers: Bool {
        preservesUnknownFields || additionalPropertiesAllowed
    }
}
