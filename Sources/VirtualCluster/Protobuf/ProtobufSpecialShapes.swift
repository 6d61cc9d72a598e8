import Cron
import Foundation
import KubeAPI

/// apimachinery's types whose JSON is not an object of their proto fields: `Quantity` (its canonical
/// string), `Time` and `MicroTime` (RFC 3339 in UTC, `null` when zero), `Duration` (Go's
/// `1h0m0s`), `IntOrString` (the number or the string), `RawExtension` and `FieldsV1` (embedded
/// JSON), and the `items` wrappers such as `ExtraValue` (a plain array).
enum ProtobufSpecialShapes {
    static func read(_ shape: ProtobufSchema.Shape, _ reader: ProtobufWireReader) throws(ProtobufDecodingError) -> JSONValue {
        var reader = reader
        let isEmpty = reader.isAtEnd
        var fields: [Int: JSONValue] = [:]
        var items: [JSONValue] = []
        while !reader.isAtEnd {
            let (number, wireType) = try reader.tag()
            switch (shape, number, wireType) {
            case (.quantity, 1, .lengthDelimited), (.intorstring, 3, .lengthDelimited):
                fields[number] = .string(try reader.string(try reader.lengthDelimited()))
            case (.rawextension, 1, .lengthDelimited), (.fieldsv1, 1, .lengthDelimited):
                fields[number] = try embeddedJSON(Array(reader.bytes[try reader.lengthDelimited()]))
            case (.list, 1, .lengthDelimited):
                items.append(.string(try reader.string(try reader.lengthDelimited())))
            case (.time, 1, .varint), (.microtime, 1, .varint), (.duration, 1, .varint), (.intorstring, 1, .varint):
                fields[number] = .int(Int64(bitPattern: try reader.varint()))
            case (.time, 2, .varint), (.microtime, 2, .varint), (.intorstring, 2, .varint):
                fields[number] = .int(Int64(Int32(truncatingIfNeeded: try reader.varint())))
            case (_, 1...3, _):
                throw ProtobufDecodingError(message: "wrong wire type \(wireType.rawValue) for field \(number) of a \(shape.rawValue)")
            default:
                try reader.skip(wireType, number: number)
            }
        }
        switch shape {
        case .quantity:
            return fields[1] ?? .string("0")
        case .time, .microtime:
            // metav1.Time writes nothing for the zero time, and its JSON is then null.
            if isEmpty { return .null }
            let seconds = fields[1]?.intValue ?? 0
            let nanos = fields[2]?.intValue ?? 0
            guard nanos >= 0, nanos < 1_000_000_000, abs(seconds) < 253_402_300_800 else {
                throw ProtobufDecodingError(message: "time out of range (\(seconds) s, \(nanos) ns)")
            }
            return .string(shape == .time ? Timestamps.text(seconds: seconds) : Timestamps.text(seconds: seconds, micros: nanos / 1000))
        case .duration:
            return .string(KubeDuration(nanoseconds: fields[1]?.intValue ?? 0).description)
        case .intorstring:
            return fields[1]?.intValue == 1 ? (fields[3] ?? .string("")) : .int(fields[2]?.intValue ?? 0)
        case .rawextension, .fieldsv1:
            return fields[1] ?? (shape == .fieldsv1 ? .object([:]) : .null)
        case .list:
            return .array(items)
        case .object:
            return .object([:])
        }
    }

    /// Writes `value` (the JSON form) as the message of `shape`; `nil` when the JSON is not of that
    /// shape (the field is then left out, as an unknown field would be).
    static func write(_ shape: ProtobufSchema.Shape, _ value: JSONValue) -> ProtobufWriter? {
        var writer = ProtobufWriter()
        switch (shape, value) {
        case (.quantity, .string(let text)):
            writer.string(1, text)
        case (.quantity, .int), (.quantity, .double):
            writer.string(1, value.jsonText)
        case (.time, .null), (.microtime, .null):
            break
        case (.time, .string(let text)), (.microtime, .string(let text)):
            guard let parsed = Timestamps.parse(text) else { return nil }
            writer.varintField(1, UInt64(bitPattern: parsed.seconds))
            if shape == .microtime || parsed.nanos != 0 { writer.varintField(2, UInt64(parsed.nanos)) }
        case (.duration, .string(let text)):
            guard let duration = try? KubeDuration(parsing: text) else { return nil }
            writer.varintField(1, UInt64(bitPattern: duration.nanoseconds))
        case (.intorstring, .int(let number)):
            writer.varintField(1, 0)
            writer.varintField(2, UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: number))))
            writer.string(3, "")
        case (.intorstring, .string(let text)):
            writer.varintField(1, 1)
            writer.varintField(2, 0)
            writer.string(3, text)
        case (.rawextension, _), (.fieldsv1, _):
            writer.lengthDelimited(1, Array(value.jsonText.utf8))
        case (.list, .array(let elements)):
            for case .string(let text) in elements { writer.string(1, text) }
        default:
            return nil
        }
        return writer
    }

    private static func embeddedJSON(_ bytes: [UInt8]) throws(ProtobufDecodingError) -> JSONValue {
        if bytes.isEmpty { return .null }
        do {
            return try JSONValue.parse(Data(bytes))
        } catch {
            throw ProtobufDecodingError(message: "embedded object is not JSON")
        }
    }
}

extension Timestamps {
    /// `metav1.Time`'s JSON (seconds) or `MicroTime`'s (six fractional digits), in UTC.
    static func text(seconds: Int64, micros: Int64? = nil) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let date = CivilDate(ordinal: Int(days))
        var text = String(format: "%04d-%02d-%02dT%02lld:%02lld:%02lld", date.year, date.month, date.day,
                          inDay / 3600, inDay / 60 % 60, inDay % 60)
        if let micros { text += String(format: ".%06lld", micros) }
        return text + "Z"
    }

    /// Seconds and nanoseconds of an RFC 3339 time (`Z` or a numeric offset, any fraction).
    static func parse(_ text: String) -> (seconds: Int64, nanos: Int64)? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 116,
              bytes[13] == 58, bytes[16] == 58 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                guard bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int64(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19),
              let date = CivilDate(year: Int(year), month: Int(month), day: Int(day)) else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if bytes[index] == 46 {
            index += 1
            var scale: Int64 = 100_000_000
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                nanos += Int64(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        if bytes[index] == 90 || bytes[index] == 122 {
            guard index + 1 == bytes.count else { return nil }
        } else if bytes[index] == 43 || bytes[index] == 45, index + 6 == bytes.count, bytes[index + 3] == 58,
                  let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6) {
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == 45 ? -1 : 1)
        } else {
            return nil
        }
        return (Int64(date.ordinal) * 86_400 + hour * 3600 + minute * 60 + second - offset, nanos)
    }
}
