/// Why a protobuf body could not be read: answered as a 400 `BadRequest` naming the field path.
struct ProtobufDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    var message: String
    /// Where it happened, outermost first (`spec.containers[0].ports`), filled in while unwinding.
    var path: String = ""

    var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The same error one level further out: `field` (or `field[index]`) in front of the path.
    func inside(_ field: String, index: Int? = nil) -> ProtobufDecodingError {
        let step = index.map { "\(field)[\($0)]" } ?? field
        var outer = self
        outer.path = path.isEmpty ? step : path.hasPrefix("[") ? step + path : "\(step).\(path)"
        return outer
    }
}

/// The protobuf wire format over a byte range, with every length and varint checked against the
/// bytes that remain, so a truncated or hostile body is an error and never a trap. Nested messages
/// are read as sub-ranges of the same buffer (no copies).
struct ProtobufWireReader {
    enum WireType: Int {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        position = start
        self.end = end ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type.
    mutating func tag() throws(ProtobufDecodingError) -> (number: Int, wireType: WireType) {
        let key = try varint()
        let number = key >> 3
        guard number > 0, number <= 536_870_911 else {
            throw ProtobufDecodingError(message: "illegal field number \(number)")
        }
        guard let wireType = WireType(rawValue: Int(key & 7)) else {
            throw ProtobufDecodingError(message: "illegal wire type \(key & 7) for field \(number)")
        }
        return (Int(number), wireType)
    }

    mutating func varint() throws(ProtobufDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ProtobufDecodingError(message: "unexpected EOF") }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw ProtobufDecodingError(message: "integer overflow") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw ProtobufDecodingError(message: "integer overflow") }
        }
    }

    /// The range of a length-delimited payload, after checking it fits in what remains.
    mutating func lengthDelimited() throws(ProtobufDecodingError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw ProtobufDecodingError(message: "length \(length) exceeds the \(end - position) bytes that remain")
        }
        let start = position
        position += Int(length)
        return start..<position
    }

    mutating func fixed(_ size: Int) throws(ProtobufDecodingError) -> UInt64 {
        guard end - position >= size else { throw ProtobufDecodingError(message: "unexpected EOF") }
        var value: UInt64 = 0
        for index in 0..<size { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += size
        return value
    }

    /// Skips a field of an unknown number (the schema's alpha fields, newer clients' additions).
    mutating func skip(_ wireType: WireType, number: Int) throws(ProtobufDecodingError) {
        switch wireType {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed(8)
        case .fixed32: _ = try fixed(4)
        case .lengthDelimited: _ = try lengthDelimited()
        case .startGroup, .endGroup:
            throw ProtobufDecodingError(message: "groups are not supported (field \(number))")
        }
    }

    func string(_ range: Range<Int>) throws(ProtobufDecodingError) -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw ProtobufDecodingError(message: "invalid UTF-8 in a string")
        }
        return text
    }

    func sub(_ range: Range<Int>) -> ProtobufWireReader {
        ProtobufWireReader(bytes, from: range.lowerBound, to: range.upperBound)
    }
}
