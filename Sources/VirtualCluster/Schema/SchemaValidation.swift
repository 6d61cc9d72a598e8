import Foundation
import KubeAPI

/// Validates a custom object against its structural schema, with the field paths and wording of the
/// real API server (`spec.nodes.max: Invalid value: -1: spec.nodes.max in body should be greater
/// than or equal to 0`). CEL rules (`x-kubernetes-validations`) are not evaluated.
enum SchemaValidation {
    static func validate(_ value: JSONValue, against schema: StructuralSchema, at path: String) -> [FieldError] {
        if case .null = value {
            if schema.nullable || schema.type == nil && !schema.intOrString { return [] }
            return [.invalid(path, .string("null"), "\(path) in body must be of type \(schema.type ?? "object"): \"null\"")]
        }
        if let typeError = typeError(value, schema: schema, path: path) { return [typeError] }
        var errors: [FieldError] = []
        if let allowed = schema.enumValues, !allowed.contains(value) {
            errors.append(.notSupported(path, value, supported: allowed.map(enumText)))
        }
        errors += numberErrors(value, schema: schema, path: path)
        errors += stringErrors(value, schema: schema, path: path)
        switch value {
        case .object(let members):
            errors += objectErrors(members, schema: schema, path: path)
        case .array(let elements):
            errors += arrayErrors(elements, schema: schema, path: path)
        default:
            break
        }
        for branch in schema.allOf {
            errors += validate(value, against: branch, at: path)
        }
        return errors
    }

    private static func enumText(_ value: JSONValue) -> String {
        value.stringValue ?? value.jsonText
    }

    private static func join(_ path: String, _ member: String) -> String {
        path.isEmpty ? member : "\(path).\(member)"
    }

    private static func typeError(_ value: JSONValue, schema: StructuralSchema, path: String) -> FieldError? {
        if schema.intOrString {
            switch value {
            case .int, .string: return nil
            case .double(let number) where number == number.rounded(): return nil
            default: return .invalid(path, .string(value.schemaTypeName), "\(path) in body must be of type integer,string: \"\(value.schemaTypeName)\"")
            }
        }
        guard let expected = schema.type else { return nil }
        let matches: Bool
        switch (expected, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int): matches = true
        case ("integer", .double(let number)): matches = number == number.rounded()
        case ("number", .int), ("number", .double): matches = true
        default: matches = false
        }
        if matches { return nil }
        return .invalid(path, .string(value.schemaTypeName), "\(path) in body must be of type \(expected): \"\(value.schemaTypeName)\"")
    }

    private static func numberErrors(_ value: JSONValue, schema: StructuralSchema, path: String) -> [FieldError] {
        guard let number = value.numberValue else { return [] }
        var errors: [FieldError] = []
        if let minimum = schema.minimum {
            if schema.exclusiveMinimum ? number <= minimum : number < minimum {
                let relation = schema.exclusiveMinimum ? "greater than" : "greater than or equal to"
                errors.append(.invalid(path, value, "\(path) in body should be \(relation) \(format(minimum))"))
            }
        }
        if let maximum = schema.maximum {
            if schema.exclusiveMaximum ? number >= maximum : number > maximum {
                let relation = schema.exclusiveMaximum ? "less than" : "less than or equal to"
                errors.append(.invalid(path, value, "\(path) in body should be \(relation) \(format(maximum))"))
            }
        }
        return errors
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    private static func stringErrors(_ value: JSONValue, schema: StructuralSchema, path: String) -> [FieldError] {
        guard case .string(let text) = value else { return [] }
        var errors: [FieldError] = []
        if let maxLength = schema.maxLength, text.count > maxLength {
            errors.append(.tooLong(path, "may not be more than \(maxLength) bytes"))
        }
        if let minLength = schema.minLength, text.count < minLength {
            errors.append(.invalid(path, value, "\(path) in body should be at least \(minLength) chars long"))
        }
        if let pattern = schema.pattern, !matches(text, pattern: pattern) {
            errors.append(.invalid(path, value, "\(path) in body should match '\(pattern)'"))
        }
        return errors
    }

    private static func matches(_ text: String, pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return true }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, range: range) != nil
    }

    private static func objectErrors(_ members: [String: JSONValue], schema: StructuralSchema, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for name in schema.required where members[name] == nil {
            errors.append(.required(join(path, name)))
        }
        if let maxProperties = schema.maxProperties, members.count > maxProperties {
            errors.append(.tooMany(path, "\(members.count): must have at most \(maxProperties) items"))
        }
        if let minProperties = schema.minProperties, members.count < minProperties {
            errors.append(.invalid(path, .int(Int64(members.count)), "\(path) in body should have at least \(minProperties) properties"))
        }
        for name in members.keys.sorted() {
            guard let memberSchema = schema.schema(forMember: name), let member = members[name] else { continue }
            errors += validate(member, against: memberSchema, at: join(path, name))
        }
        return errors
    }

    private static func arrayErrors(_ elements: [JSONValue], schema: StructuralSchema, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        if let maxItems = schema.maxItems, elements.count > maxItems {
            errors.append(.tooMany(path, "\(elements.count): must have at most \(maxItems) items"))
        }
        if let minItems = schema.minItems, elements.count < minItems {
            errors.append(.invalid(path, .int(Int64(elements.count)), "\(path) in body should have at least \(minItems) items"))
        }
        if schema.listType == "set" {
            var seen: Set<JSONValue> = []
            for (index, element) in elements.enumerated() where !seen.insert(element).inserted {
                errors.append(.duplicate("\(path)[\(index)]", element))
            }
        }
        if let itemSchema = schema.items {
            for (index, element) in elements.enumerated() {
                errors += validate(element, against: itemSchema, at: "\(path)[\(index)]")
            }
        }
        return errors
    }
}
