import Foundation
import KubeAPI

/// Writes a stored object (JSON) as its built-in protobuf message, walking `ProtobufSchema`: fields
/// in number order, map entries sorted by key (as gogo-protobuf writes them), special shapes through
/// `ProtobufSpecialShapes`. JSON members the schema does not know are left out, as the real server's
/// typed objects would not have them; `null` members are absent fields.
struct ProtobufObjectWriter {
    let schema: ProtobufSchema

    init(schema: ProtobufSchema = .builtin) {
        self.schema = schema
    }

    func write(_ value: JSONValue, as message: ProtobufSchema.Message) -> ProtobufWriter {
        if message.shape != .object {
            return ProtobufSpecialShapes.write(message.shape, value) ?? ProtobufWriter()
        }
        var writer = ProtobufWriter()
        guard case .object(let members) = value else { return writer }
        for field in message.fields {
            if field.isInline {
                append(value, field.type, number: field.number, to: &writer)
                continue
            }
            guard let member = members[field.name], member != .null else { continue }
            switch field.cardinality {
            case .single:
                append(member, field.type, number: field.number, to: &writer)
            case .repeated:
                guard case .array(let elements) = member else { continue }
                for element in elements { append(element, field.type, number: field.number, to: &writer) }
            case .map(let keyType):
                guard case .object(let entries) = member else { continue }
                for key in entries.keys.sorted() {
                    var entry = ProtobufWriter()
                    let keyValue: JSONValue = keyType == .string ? .string(key) : Int64(key).map(JSONValue.int) ?? .string(key)
                    append(keyValue, .scalar(keyType), number: 1, to: &entry)
                    if let value = entries[key], value != .null { append(value, field.type, number: 2, to: &entry) }
                    writer.message(field.number, entry)
                }
            }
        }
        return writer
    }

    private func append(_ value: JSONValue, _ type: ProtobufSchema.ValueType, number: Int, to writer: inout ProtobufWriter) {
        switch type {
        case .message(let name):
            guard let message = schema.messages[name] else { return }
            if message.shape != .object {
                if let special = ProtobufSpecialShapes.write(message.shape, value) { writer.message(number, special) }
            } else if case .object = value {
                writer.message(number, write(value, as: message))
            }
        case .scalar(let scalar):
            switch (scalar, value) {
            case (.string, .string(let text)):
                writer.string(number, text)
            case (.bytes, .string(let text)):
                if let data = Data(base64Encoded: text) { writer.lengthDelimited(number, Array(data)) }
            case (.bool, .bool(let flag)):
                writer.varintField(number, flag ? 1 : 0)
            case (.double, _):
                if let double = Self.double(value) { writer.fixed64Field(number, double.bitPattern) }
            case (.float, _):
                if let double = Self.double(value) { writer.fixed32Field(number, Float(double).bitPattern) }
            case (.int32, _), (.int64, _), (.uint32, _), (.uint64, _):
                if let integer = Self.integer(value) { writer.varintField(number, UInt64(bitPattern: integer)) }
            default:
                return
            }
        }
    }

    private static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let number): return number
        case .double(let number) where number == number.rounded() && abs(number) < 9.2e18: return Int64(number)
        default: return nil
        }
    }

    private static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }
}
