import KubeAPI

/// Pruning and defaulting of custom objects, in the order the real server applies them: unknown
/// fields are pruned (and reported, for `fieldValidation=Strict`), then `default`s fill missing or
/// null members, recursively.
enum SchemaDefaulting {
    /// Removes members the schema does not declare, unless `x-kubernetes-preserve-unknown-fields`
    /// (or `additionalProperties`) keeps them. `pruned` receives the paths removed.
    static func prune(_ value: JSONValue, schema: StructuralSchema, path: String, pruned: inout [String]) -> JSONValue {
        switch value {
        case .object(var members):
            for name in members.keys.sorted() {
                guard let member = members[name] else { continue }
                let memberPath = path.isEmpty ? name : "\(path).\(name)"
                if let memberSchema = schema.schema(forMember: name) {
                    members[name] = prune(member, schema: memberSchema, path: memberPath, pruned: &pruned)
                } else if schema.keepsUnknownMembers || (schema.embeddedResource && ["apiVersion", "kind", "metadata"].contains(name)) {
                    continue
                } else {
                    members[name] = nil
                    pruned.append(memberPath)
                }
            }
            return .object(members)
        case .array(let elements):
            guard let itemSchema = schema.items else { return value }
            return .array(elements.enumerated().map { index, element in
                prune(element, schema: itemSchema, path: "\(path)[\(index)]", pruned: &pruned)
            })
        default:
            return value
        }
    }

    /// Fills in `default` values for absent members (and for `null` members that are not nullable).
    static func applyDefaults(_ value: JSONValue, schema: StructuralSchema) -> JSONValue {
        switch value {
        case .object(var members):
            for (name, memberSchema) in schema.properties {
                if let member = members[name] {
                    if case .null = member, !memberSchema.nullable, let defaultValue = memberSchema.defaultValue {
                        members[name] = applyDefaults(defaultValue, schema: memberSchema)
                    } else {
                        members[name] = applyDefaults(member, schema: memberSchema)
                    }
                } else if let defaultValue = memberSchema.defaultValue {
                    members[name] = applyDefaults(defaultValue, schema: memberSchema)
                }
            }
            if let valueSchema = schema.additionalProperties {
                for (name, member) in members where schema.properties[name] == nil {
                    members[name] = applyDefaults(member, schema: valueSchema)
                }
            }
            return .object(members)
        case .array(let elements):
            guard let itemSchema = schema.items else { return value }
            return .array(elements.map { applyDefaults($0, schema: itemSchema) })
        default:
            return value
        }
    }
}
