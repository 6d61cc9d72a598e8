import Foundation
import KubeAPI

/// Reads a built-in object's protobuf message into the JSON the API server would render for it, by
/// walking `ProtobufSchema`: fields by number, Go's `omitempty` for zero scalars, maps from their
/// entry messages, bytes as base64 and apimachinery's special shapes (`ProtobufSpecialShapes`).
/// Unknown field numbers are skipped, as any proto2 reader does.
struct ProtobufObjectReader {
    let schema: ProtobufSchema
    /// Deeper nesting than any built-in kind has is refused rather than recursed into.
    static let maximumDepth = 48

    init(schema: ProtobufSchema = .builtin) {
        self.schema = schema
    }

    /// The JSON of `bytes` read as `message`.
    func read(_ bytes: [UInt8], as message: ProtobufSchema.Message) throws(ProtobufDecodingError) -> JSONValue {
        try value(of: message, ProtobufWireReader(bytes), depth: 0)
    }

    private func value(of message: ProtobufSchema.Message, _ reader: ProtobufWireReader,
                       depth: Int) throws(ProtobufDecodingError) -> JSONValue {
        guard depth < Self.maximumDepth else {
            throw ProtobufDecodingError(message: "messages nested deeper than \(Self.maximumDepth) levels")
        }
        if message.shape != .object {
            return try ProtobufSpecialShapes.read(message.shape, reader)
        }
        var reader = reader
        var object = Accumulated()
        var counts: [Int: Int] = [:]
        while !reader.isAtEnd {
            let (number, wireType) = try reader.tag()
            guard let field = message.field(number: number) else {
                try reader.skip(wireType, number: number)
                continue
            }
            let index = counts[number, default: 0]
            counts[number] = index + 1
            do {
                try read(field, wireType, &reader, into: &object, depth: depth)
            } catch {
                throw field.cardinality == .single ? error.inside(field.name) : error.inside(field.name, index: index)
            }
        }
        return object.json
    }

    /// The fields read so far; repeated and map fields grow in place rather than being copied out of
    /// the object for every element.
    private struct Accumulated {
        var single: [String: JSONValue] = [:]
        var lists: [String: [JSONValue]] = [:]
        var maps: [String: [String: JSONValue]] = [:]

        var json: JSONValue {
            var object = single
            for (name, items) in lists { object[name] = .array(items) }
            for (name, entries) in maps { object[name] = .object(entries) }
            return .object(object)
        }
    }

    private func read(_ field: ProtobufSchema.Field, _ wireType: ProtobufWireReader.WireType,
                      _ reader: inout ProtobufWireReader, into object: inout Accumulated,
                      depth: Int) throws(ProtobufDecodingError) {
        switch field.cardinality {
        case .single:
            let value = try element(field.type, wireType, &reader, depth: depth)
            if field.isInline, case .object(let members) = value {
                object.single.merge(members) { _, inner in inner }
                return
            }
            object.single[field.name] = !field.keepsZero && Self.isZeroScalar(value, field.type) ? nil : value
        case .repeated:
            var items = object.lists.removeValue(forKey: field.name) ?? []
            if case .scalar(let scalar) = field.type, scalar != .string, scalar != .bytes, wireType == .lengthDelimited {
                var packed = reader.sub(try reader.lengthDelimited())
                while !packed.isAtEnd {
                    items.append(try element(field.type, Self.unpackedWireType(scalar), &packed, depth: depth))
                }
            } else {
                items.append(try element(field.type, wireType, &reader, depth: depth))
            }
            object.lists[field.name] = items
        case .map(let keyType):
            try Self.expect(.lengthDelimited, wireType)
            var entry = reader.sub(try reader.lengthDelimited())
            var key: JSONValue = Self.zero(of: .scalar(keyType))
            var value: JSONValue?
            while !entry.isAtEnd {
                let (number, entryWireType) = try entry.tag()
                switch number {
                case 1: key = try element(.scalar(keyType), entryWireType, &entry, depth: depth)
                case 2: value = try element(field.type, entryWireType, &entry, depth: depth)
                default: try entry.skip(entryWireType, number: number)
                }
            }
            let name: String
            switch key {
            case .string(let text): name = text
            case .int(let number): name = String(number)
            case .bool(let flag): name = flag ? "true" : "false"
            default: name = key.jsonText
            }
            let entryValue: JSONValue
            if let value { entryValue = value } else { entryValue = try emptyValue(of: field.type, depth: depth) }
            object.maps[field.name, default: [:]][name] = entryValue
        }
    }

    /// One value of `type` at the reader.
    private func element(_ type: ProtobufSchema.ValueType, _ wireType: ProtobufWireReader.WireType,
                         _ reader: inout ProtobufWireReader, depth: Int) throws(ProtobufDecodingError) -> JSONValue {
        switch type {
        case .message(let name):
            try Self.expect(.lengthDelimited, wireType)
            guard let message = schema.messages[name] else { throw ProtobufDecodingError(message: "no schema for \(name)") }
            return try value(of: message, reader.sub(try reader.lengthDelimited()), depth: depth + 1)
        case .scalar(let scalar):
            switch scalar {
            case .string:
                try Self.expect(.lengthDelimited, wireType)
                return .string(try reader.string(try reader.lengthDelimited()))
            case .bytes:
                try Self.expect(.lengthDelimited, wireType)
                return .string(Data(reader.bytes[try reader.lengthDelimited()]).base64EncodedString())
            case .bool:
                try Self.expect(.varint, wireType)
                return .bool(try reader.varint() != 0)
            case .int32:
                try Self.expect(.varint, wireType)
                return .int(Int64(Int32(truncatingIfNeeded: try reader.varint())))
            case .int64:
                try Self.expect(.varint, wireType)
                return .int(Int64(bitPattern: try reader.varint()))
            case .uint32:
                try Self.expect(.varint, wireType)
                return .int(Int64(UInt32(truncatingIfNeeded: try reader.varint())))
            case .uint64:
                try Self.expect(.varint, wireType)
                let value = try reader.varint()
                return value > UInt64(Int64.max) ? .double(Double(value)) : .int(Int64(value))
            case .double:
                try Self.expect(.fixed64, wireType)
                return .double(Double(bitPattern: try reader.fixed(8)))
            case .float:
                try Self.expect(.fixed32, wireType)
                return .double(Double(Float(bitPattern: UInt32(truncatingIfNeeded: try reader.fixed(4)))))
            }
        }
    }

    /// A map value that was left out of its entry: the Go zero value of the type.
    private func emptyValue(of type: ProtobufSchema.ValueType, depth: Int) throws(ProtobufDecodingError) -> JSONValue {
        guard case .message(let name) = type, let message = schema.messages[name] else { return Self.zero(of: type) }
        return try value(of: message, ProtobufWireReader([]), depth: depth + 1)
    }

    static func zero(of type: ProtobufSchema.ValueType) -> JSONValue {
        switch type {
        case .scalar(.string), .scalar(.bytes): return .string("")
        case .scalar(.bool): return .bool(false)
        case .scalar: return .int(0)
        case .message: return .object([:])
        }
    }

    static func isZeroScalar(_ value: JSONValue, _ type: ProtobufSchema.ValueType) -> Bool {
        guard case .scalar = type else { return false }
        switch value {
        case .string(let text): return text.isEmpty
        case .bool(let flag): return !flag
        case .int(let number): return number == 0
        case .double(let number): return number == 0
        default: return false
        }
    }

    private static func unpackedWireType(_ scalar: ProtobufSchema.Scalar) -> ProtobufWireReader.WireType {
        switch scalar {
        case .double: return .fixed64
        case .float: return .fixed32
        default: return .varint
        }
    }

    static func expect(_ expected: ProtobufWireReader.WireType,
                       _ actual: ProtobufWireReader.WireType) throws(ProtobufDecodingError) {
        guard expected == actual else {
            throw ProtobufDecodingError(message: "wrong wire type \(actual.rawValue), expected \(expected.rawValue)")
        }
    }
}
