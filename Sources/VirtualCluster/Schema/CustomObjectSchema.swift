import KubeAPI

/// `?fieldValidation=`: what to do with fields the schema does not know.
enum FieldValidation: String, Sendable {
    case ignore = "Ignore"
    case warn = "Warn"
    case strict = "Strict"
}

/// The full schema pipeline for a custom object: prune unknown fields (400 under `Strict`),
/// apply defaults, validate (422 with field paths).
enum CustomObjectSchema {
    /// Returns the pruned and defaulted object and the warnings to send (`Warn` mode).
    static func admit(_ object: JSONValue, type: ResourceType, version: String,
                      fieldValidation: FieldValidation) throws(APIError) -> (object: JSONValue, warnings: [String]) {
        guard let schema = type.schemas[version] else { return (object, []) }
        var pruned: [String] = []
        var result = object
        for member in object.memberNames where !["apiVersion", "kind", "metadata"].contains(member) {
            guard let value = object[member] else { continue }
            if let memberSchema = schema.schema(forMember: member) {
                result.setValue(SchemaDefaulting.prune(value, schema: memberSchema, path: member, pruned: &pruned), at: [member])
            } else if !schema.keepsUnknownMembers {
                result.setValue(nil, at: [member])
                pruned.append(member)
            }
        }
        var warnings: [String] = []
        if !pruned.isEmpty {
            let unknown = pruned.map { "unknown field \"\($0)\"" }
            switch fieldValidation {
            case .strict:
                throw APIError.badRequest("\(type.kind) in version \"\(version)\" cannot be handled as a \(type.kind): strict decoding error: \(unknown.joined(separator: ", "))")
            case .warn:
                warnings = unknown
            case .ignore:
                break
            }
        }
        result = SchemaDefaulting.applyDefaults(result, schema: schema)
        var errors: [FieldError] = []
        for member in result.memberNames where !["apiVersion", "kind", "metadata"].contains(member) {
            guard let value = result[member], let memberSchema = schema.schema(forMember: member) else { continue }
            errors += SchemaValidation.validate(value, against: memberSchema, at: member)
        }
        for name in schema.required where result[name] == nil && !["apiVersion", "kind", "metadata"].contains(name) {
            errors.append(.required(name))
        }
        if !errors.isEmpty {
            throw APIError.invalid(kind: type.kind, group: type.group, name: result.name ?? "", errors: errors)
        }
        return (result, warnings)
    }
}
