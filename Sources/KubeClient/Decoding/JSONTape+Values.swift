import Foundation

/// Reading values out of the tape: the conversions `JSONDecoder` makes (same accepted inputs and
/// error kinds), member lookup by key, and coding paths rebuilt from the tape only when asked for.
extension JSONTape {
    func isNull(_ index: Int) -> Bool { nodes[index].kind == .null }

    func bool(at index: Int) throws -> Bool {
        switch nodes[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, at: index)
        }
    }

    func string(at index: Int) throws -> String {
        let node = nodes[index]
        guard node.kind == .string else { throw mismatch(String.self, at: index) }
        return try text(of: node, at: index)
    }

    /// The decoded contents of a string node (key or value).
    func text(of node: Node, at index: Int) throws -> String {
        let raw = bytes(of: node)
        if !node.flagged {
            // ASCII needs no validation; `String(decoding:)` then only copies.
            if !node.nonASCII { return String(decoding: raw, as: UTF8.self) }
            if let plain = String(validating: raw, as: UTF8.self) { return plain }
        }
        guard let unescaped = Self.unescape(raw), let decoded = String(validating: unescaped, as: UTF8.self) else {
            throw corrupted(at: index, "the string is not valid UTF-8 or has an invalid \\u escape")
        }
        return decoded
    }

    func integer<T: FixedWidthInteger>(at index: Int, as type: T.Type) throws -> T {
        let node = nodes[index]
        guard node.kind == .number else { throw mismatch(T.self, at: index) }
        let raw = bytes(of: node)
        if !node.flagged, let value = Self.parseInteger(raw, as: T.self) { return value }
        // 1e3 or 2.0 are accepted when exactly an integer in range, as `JSONDecoder` accepts them.
        if node.flagged, let double = Double(String(decoding: raw, as: UTF8.self)), let value = T(exactly: double) { return value }
        throw corrupted(at: index, "Parsed JSON number <\(String(decoding: raw, as: UTF8.self))> does not fit in \(T.self).")
    }

    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(at index: Int, as type: T.Type) throws -> T {
        let node = nodes[index]
        guard node.kind == .number else { throw mismatch(T.self, at: index) }
        let text = String(decoding: bytes(of: node), as: UTF8.self)
        guard let value = T(text), value.isFinite else {
            throw corrupted(at: index, "Parsed JSON number <\(text)> does not fit in \(T.self).")
        }
        return value
    }

    /// Any `Decodable`, with the special cases `JSONDecoder` makes by default: `Data` from base64,
    /// `URL` from its string, `Decimal` from the number's text (their own `init(from:)` expects other
    /// shapes).
    func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        // Strings and string maps (labels, annotations, selectors, quantities) are most of an API
        // object; reading them directly skips the generic Codable path (`JSONDecoder` special-cases
        // string-keyed dictionaries for the same reason). The casts are between identical types.
        let requested = ObjectIdentifier(T.self)
        if requested == Self.stringType { return unsafeBitCast(try string(at: index), to: T.self) }
        if requested == Self.stringMapType { return unsafeBitCast(try stringMap(at: index), to: T.self) }
        if T.self == Data.self {
            guard let data = Data(base64Encoded: try string(at: index)) else { throw corrupted(at: index, "Encountered Data is not valid Base64.") }
            return try cast(data, index)
        }
        if T.self == URL.self {
            guard let url = URL(string: try string(at: index)) else { throw corrupted(at: index, "Invalid URL string.") }
            return try cast(url, index)
        }
        if T.self == Decimal.self {
            guard nodes[index].kind == .number, let decimal = Decimal(string: String(decoding: bytes(of: nodes[index]), as: UTF8.self)) else {
                throw mismatch(Decimal.self, at: index)
            }
            return try cast(decimal, index)
        }
        return try T(from: TapeDecoder(tape: self, node: index))
    }

    /// Computed once: naming `[String: String].self` inside a generic function looks its metadata
    /// up on every call.
    private static let stringType = ObjectIdentifier(String.self)
    private static let stringMapType = ObjectIdentifier([String: String].self)

    func stringMap(at index: Int) throws -> [String: String] {
        guard nodes[index].kind == .object else { throw mismatch([String: String].self, at: index) }
        var map: [String: String] = [:]
        map.reserveCapacity(Int(nodes[index].count))
        var member = index + 1
        while member < Int(nodes[index].next) {
            map[try text(of: nodes[member], at: member)] = try string(at: member + 1)
            member = Int(nodes[member + 1].next)
        }
        return map
    }

    private func cast<T>(_ value: Any, _ index: Int) throws -> T {
        guard let typed = value as? T else { throw mismatch(T.self, at: index) }
        return typed
    }

    // MARK: Members

    /// The value node of the member named `name` in the object at `object`, or nil.
    func member(named name: String, in object: Int) -> Int? {
        let first = object + 1
        let end = Int(nodes[object].next)
        let resume = lastObject == object && lastMember >= first && lastMember < end ? Int(nodes[lastMember + 1].next) : first
        var name = name
        let found = name.withUTF8 { key in
            scan(from: resume, to: end, for: key) ?? (resume > first ? scan(from: first, to: resume, for: key) : nil)
        }
        guard let found else { return nil }
        lastObject = object
        lastMember = found
        return found + 1
    }

    /// The key node of the first member in `from..<to` whose key equals `key`.
    private func scan(from start: Int, to end: Int, for key: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = start
        while index < end {
            let node = nodes[index]
            if node.flagged {
                if let text = try? text(of: node, at: index), text.utf8.elementsEqual(key) { return index }
            } else if Int(node.length) == key.count, sameBytes(node, key) {
                return index
            }
            index = Int(nodes[index + 1].next)
        }
        return nil
    }

    private func sameBytes(_ node: Node, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, let keyBase = key.baseAddress else { return key.isEmpty }
        return memcmp(base + Int(node.start), keyBase, key.count) == 0
    }

    /// The keys of an object's members, in document order.
    func memberKeys(of object: Int) -> [String] {
        var keys: [String] = []
        keys.reserveCapacity(Int(nodes[object].count))
        var index = object + 1
        while index < Int(nodes[object].next) {
            if let key = try? text(of: nodes[index], at: index) { keys.append(key) }
            index = Int(nodes[index + 1].next)
        }
        return keys
    }

    // MARK: Errors and coding paths

    /// The coding path from the document root to `target`, rebuilt by descending the tape (nothing
    /// is tracked while decoding succeeds).
    func codingPath(to target: Int) -> [any CodingKey] {
        var path: [any CodingKey] = []
        var current = 0
        while current != target, current < absent {
            let node = nodes[current]
            var child = current + 1
            var position = 0
            var descended = false
            while child < Int(node.next) {
                let value = node.kind == .object ? child + 1 : child
                let after = Int(nodes[value].next)
                if target >= value && target < after {
                    if node.kind == .object {
                        path.append(TapeCodingKey(stringValue: (try? text(of: nodes[child], at: child)) ?? ""))
                    } else {
                        path.append(TapeCodingKey(intValue: position))
                    }
                    current = value
                    descended = true
                    break
                }
                child = after
                position += 1
            }
            if !descended { break }
        }
        return path
    }

    /// A value of the wrong kind; `null` where a value is required is `valueNotFound`, as with `JSONDecoder`.
    func mismatch(_ type: Any.Type, at index: Int) -> DecodingError {
        if nodes[index].kind == .null {
            return .valueNotFound(type, .init(codingPath: codingPath(to: index), debugDescription: "Expected \(type) value but found null instead."))
        }
        return .typeMismatch(type, .init(codingPath: codingPath(to: index), debugDescription: "Expected to decode \(type) but found \(describeKind(nodes[index].kind)) instead."))
    }

    func corrupted(at index: Int, _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath(to: index), debugDescription: message))
    }

    private func describeKind(_ kind: Kind) -> String {
        switch kind {
        case .object: "a dictionary"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .true, .false: "bool"
        case .null: "null"
        }
    }

    // MARK: Scalars

    /// Digits with an optional minus sign, accumulated with overflow checks; nil when out of range.
    static func parseInteger<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, as type: T.Type) -> T? {
        var index = 0
        let negative = raw.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var value: T = 0
        while index < raw.count {
            let digit = T(raw[index] &- UInt8(ascii: "0"))
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowShift || overflowAdd { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// The bytes of a string with escapes resolved (UTF-16 surrogate pairs joined); nil on a lone
    /// surrogate. The parser has already checked the escape syntax.
    static func unescape(_ raw: UnsafeRawBufferPointer) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard let high = hexValue(raw, at: index) else { return nil }
                index += 4
                var scalarValue = UInt32(high)
                if UTF16.isLeadSurrogate(high) {
                    guard index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u"),
                          let low = hexValue(raw, at: index + 2), UTF16.isTrailSurrogate(low) else { return nil }
                    index += 6
                    scalarValue = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                } else if UTF16.isTrailSurrogate(high) {
                    return nil
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                output.append(contentsOf: String(Character(scalar)).utf8)
            default: output.append(escape)
            }
        }
        return output
    }

    private static func hexValue(_ raw: UnsafeRawBufferPointer, at index: Int) -> UInt16? {
        guard index + 4 <= raw.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = raw[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}

/// A key of a rebuilt coding path: a member name or an array position.
struct TapeCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}
