import Foundation

/// A JSON document parsed in one pass into a flat "tape" of nodes (the layout simdjson popularised):
/// every value is one node holding its byte range, and a container also records where its subtree
/// ends, so skipping an unwanted member is a jump rather than a walk. Object members are a key node
/// followed by the value's subtree. Nothing is converted until a decoder asks for it, so members the
/// model types do not have cost only the scan.
final class JSONTape {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    struct Node {
        var kind: Kind
        /// A string containing backslash escapes, or a number with a fraction or exponent.
        var flagged: Bool
        /// A string with bytes outside ASCII (only those need UTF-8 validation).
        var nonASCII = false
        /// Byte range of the value: the contents between the quotes of a string, the text of a
        /// number or literal, the whole text of a container.
        var start: UInt32
        var length: UInt32
        /// The index just past this node's subtree (its next sibling, when there is one).
        var next: UInt32
        /// Elements of an array, members of an object.
        var count: UInt32
    }

    /// A private copy of the document, so reads are plain pointer loads.
    let bytes: UnsafeMutableRawBufferPointer
    private(set) var nodes: [Node] = []
    /// A `null` node after the document: what an absent `super` member decodes from.
    private(set) var absent = 0
    /// The last member found in an object (`object`, key node indices): lookups resume after it, so
    /// keys asked for in document order (a dictionary's own keys, fields in serialisation order) are
    /// found without rescanning the object.
    var lastObject = -1
    var lastMember = -1

    /// Parses `data`; throws `DecodingError.dataCorrupted` naming the line and column of the first
    /// syntax error.
    init(parsing data: Data) throws {
        guard data.count < Int(UInt32.max) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "JSON document of \(data.count) bytes is too large"))
        }
        bytes = .allocate(byteCount: data.count, alignment: 1)
        if !data.isEmpty { data.copyBytes(to: bytes) }
        nodes.reserveCapacity(max(16, data.count / 12))
        var parser = Parser(bytes: UnsafeRawBufferPointer(bytes))
        try parser.parseDocument(into: &nodes)
        absent = nodes.count
        nodes.append(Node(kind: .null, flagged: false, start: 0, length: 0, next: UInt32(absent + 1), count: 0))
    }

    deinit { bytes.deallocate() }

    /// The raw bytes of a node's range.
    func bytes(of node: Node) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.start + node.length)])
    }
}

/// The single-pass scanner behind `JSONTape` (RFC 8259 grammar; containers tracked on an explicit
/// stack, so deep nesting cannot overflow the call stack).
private struct Parser {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    /// Open containers: the node index of each.
    var open: [Int] = []

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Containers nested deeper than this are refused, as `JSONDecoder` does: decoding a value that
    /// deep would recurse through `init(from:)` far enough to exhaust the stack.
    static let maximumDepth = 512

    mutating func parseDocument(into nodes: inout [JSONTape.Node]) throws {
        skipWhitespace()
        var atStart = try parseValue(into: &nodes)
        while let index = open.last {
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of document inside a container") }
            let isObject = nodes[index].kind == .object
            if bytes[position] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                position += 1
                nodes[index].length = UInt32(position) - nodes[index].start
                nodes[index].next = UInt32(nodes.count)
                open.removeLast()
                atStart = false
                continue
            }
            if !atStart {
                guard bytes[position] == UInt8(ascii: ",") else {
                    throw error(isObject ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element")
                }
                position += 1
                skipWhitespace()
            }
            if isObject { try parseKey(into: &nodes) }
            atStart = try parseValue(into: &nodes)
        }
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected text after the top-level value") }
    }

    /// One value. A container is only opened here (its contents follow in `parseDocument`'s loop);
    /// returns whether it opened one.
    private mutating func parseValue(into nodes: inout [JSONTape.Node]) throws -> Bool {
        guard position < bytes.count else { throw error("unexpected end of document, a value was expected") }
        if let parent = open.last { nodes[parent].count += 1 }
        let start = position
        let kind: JSONTape.Kind
        var flagged = false
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard open.count < Self.maximumDepth else { throw error("containers nested deeper than \(Self.maximumDepth)") }
            open.append(nodes.count)
            nodes.append(JSONTape.Node(kind: bytes[position] == UInt8(ascii: "{") ? .object : .array, flagged: false,
                                       start: UInt32(start), length: 0, next: 0, count: 0))
            position += 1
            return true
        case UInt8(ascii: "\""):
            var node = try parseString()
            node.next = UInt32(nodes.count + 1)
            nodes.append(node)
            return false
        case UInt8(ascii: "t"):
            try literal("true")
            kind = .true
        case UInt8(ascii: "f"):
            try literal("false")
            kind = .false
        case UInt8(ascii: "n"):
            try literal("null")
            kind = .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            flagged = try parseNumber()
            kind = .number
        default:
            throw error("unexpected character '\(Character(Unicode.Scalar(bytes[position])))', a value was expected")
        }
        nodes.append(JSONTape.Node(kind: kind, flagged: flagged, start: UInt32(start), length: UInt32(position - start),
                                   next: UInt32(nodes.count + 1), count: 0))
        return false
    }

    /// An object member's key and the colon after it (the key node does not count as a member).
    private mutating func parseKey(into nodes: inout [JSONTape.Node]) throws {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
        var key = try parseString()
        // Keys are checked here, since `allKeys` cannot throw: valid UTF-8, escapes that resolve.
        if key.flagged || key.nonASCII {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[Int(key.start)..<Int(key.start + key.length)])
            let resolved = key.flagged ? JSONTape.unescape(raw) : Array(raw)
            guard let resolved, String(validating: resolved, as: UTF8.self) != nil else {
                throw error("an object key is not valid UTF-8 or has an invalid \\u escape")
            }
        }
        key.next = UInt32(nodes.count + 1)
        nodes.append(key)
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
        position += 1
        skipWhitespace()
    }

    private mutating func parseString() throws -> JSONTape.Node {
        position += 1
        let start = position
        var escaped = false
        var nonASCII = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let node = JSONTape.Node(kind: .string, flagged: escaped, nonASCII: nonASCII, start: UInt32(start), length: UInt32(position - start), next: 0, count: 0)
                position += 1
                return node
            }
            if byte >= 0x80 { nonASCII = true }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 1
                guard position < bytes.count else { break }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    break
                case UInt8(ascii: "u"):
                    guard position + 4 < bytes.count, (1...4).allSatisfy({ Self.isHexDigit(bytes[position + $0]) }) else {
                        throw error("invalid \\u escape in a string")
                    }
                    position += 4
                default:
                    throw error("invalid escape sequence in a string")
                }
            } else if byte < 0x20 {
                throw error("unescaped control character in a string")
            }
            position += 1
        }
        throw error("unterminated string")
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// Returns whether the number has a fraction or an exponent.
    private mutating func parseNumber() throws -> Bool {
        var fractional = false
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw error("a number needs digits") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            fractional = true
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("a number needs digits after '.'") }
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            fractional = true
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("a number needs digits in its exponent") }
            skipDigits()
        }
        return fractional
    }

    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    private mutating func literal(_ word: StaticString) throws {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard position + expected.count <= bytes.count,
              expected.indices.allSatisfy({ bytes[position + $0] == expected[$0] }) else {
            throw error("invalid literal, expected '\(word)'")
        }
        position += expected.count
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    /// A syntax error naming the line and column (1-based) where it was found.
    private func error(_ message: String) -> DecodingError {
        var line = 1
        var column = 1
        for byte in bytes[..<min(position, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "invalid JSON at line \(line), column \(column): \(message)"))
    }
}
