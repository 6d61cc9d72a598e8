import Foundation
import KubeAPI
import Sampling
import Testing
@testable import KubeClient

/// `KubeJSONDecoder` must decode exactly what `JSONDecoder` decodes and refuse what it refuses, so
/// every case runs through both and compares the outcomes.
@Suite struct KubeJSONDecoderTests {
    /// The outcome of one decode: the value, or the kind of error and its coding path.
    enum Outcome<T: Equatable>: Equatable {
        case value(T)
        case failure(kind: String, path: [String])
    }

    static func outcome<T: Decodable & Equatable>(_ type: T.Type, _ text: String, with decode: (Data) throws -> T) -> Outcome<T> {
        do {
            return .value(try decode(Data(text.utf8)))
        } catch let error as DecodingError {
            let (kind, context): (String, DecodingError.Context)
            switch error {
            case .typeMismatch(_, let c): (kind, context) = ("typeMismatch", c)
            case .valueNotFound(_, let c): (kind, context) = ("valueNotFound", c)
            case .keyNotFound(let key, let c): (kind, context) = ("keyNotFound", DecodingError.Context(codingPath: c.codingPath + [key], debugDescription: ""))
            case .dataCorrupted(let c): (kind, context) = ("dataCorrupted", c)
            @unknown default: (kind, context) = ("unknown", DecodingError.Context(codingPath: [], debugDescription: ""))
            }
            // JSONDecoder leaves the path out of some dataCorrupted errors; KubeJSONDecoder names it.
            guard kind != "dataCorrupted" else { return .failure(kind: kind, path: []) }
            return .failure(kind: kind, path: context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue })
        } catch {
            return .failure(kind: "other: \(error)", path: [])
        }
    }

    static func expectSameOutcome<T: Decodable & Equatable>(_ type: T.Type, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = outcome(type, text) { try JSONDecoder().decode(T.self, from: $0) }
        let actual = outcome(type, text) { try KubeJSONDecoder().decode(T.self, from: $0) }
        #expect(actual == expected, "decoding \(T.self) from \(text.prefix(120))", sourceLocation: sourceLocation)
    }

    @Test("any JSON text decodes to the same JSONValue, or fails the same way", arguments: [
        #"null"#, #"true"#, #" false "#, #"0"#, #"-0"#, #"42"#, #"-17"#, #"9223372036854775807"#, #"9223372036854775808"#,
        #"-9223372036854775808"#, #"1.5"#, #"-2.25e3"#, #"1E-2"#, #"1e400"#, #""""#, #""plain""#, #""tab\tnew\nline""#,
        #""quote\" back\\ slash\/""#, #""\u00e9\u4e2d\ud83d\ude00""#, #""é中😀""#, #"[]"#, #"{}"#, #"[1,[2,[3,{}]],"x"]"#,
        #"{"a":{"b":{"c":[null,true,{"d":"e"}]}},"f":1}"#, #" { "spaced" : [ 1 , 2 ] } "#, #"{"esc\u0061ped":1}"#,
        #""#, #"   "#, #"[1 2]"#, #"{"a" 1}"#, #"{1:2}"#, #".5"#, #"tru"#, #"nul"#, #""unterminated"#, #""\u12""#,
        #"[1] x"#, #""\ud800 lone surrogate""#, #"{"a":1"#, #"[[["#,
    ])
    func jsonValues(text: String) {
        Self.expectSameOutcome(JSONValue.self, text)
    }

    /// JSONDecoder accepts trailing commas and checks number and string syntax only when converting (so
    /// it reports a type mismatch); KubeJSONDecoder follows RFC 8259 as Go's encoding/json does, and
    /// reports the line and column.
    @Test("syntax errors are refused with their position", arguments: [
        (#"[1,]"#, "line 1, column 4"), (#"{"a":1,}"#, "line 1, column 8"), ("[\n01]", "line 2, column 2"),
        (#"1."#, "column 3"), (#"-"#, "column 2"), (#"1e"#, "column 3"), (#""bad \x escape""#, "column 7"),
        ("\"raw\u{01}control\"", "column 5"),
    ])
    func syntaxErrors(text: String, position: String) {
        #expect {
            try KubeJSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription.contains(position)
        }
    }

    @Test("strings must be valid UTF-8, as JSONDecoder requires", arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0x61, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D],
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) }
        #expect(throws: DecodingError.self) { try KubeJSONDecoder().decode(JSONValue.self, from: Data(bytes)) }
    }

    @Test("containers nested deeper than 512 are refused; 100 levels decode")
    func nesting() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: DecodingError.self) { try KubeJSONDecoder().decode(JSONValue.self, from: Data(deep.utf8)) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try KubeJSONDecoder().decode(JSONValue.self, from: Data(fine.utf8)) == JSONValue.parseFixture(fine))
    }

    struct Scalars: Codable, Equatable {
        var int8: Int8?
        var uint: UInt?
        var int32: Int32?
        var int64: Int64?
        var double: Double?
        var float: Float?
        var flag: Bool?
        var text: String?
        var data: Data?
        var url: URL?
        var list: [Int]?
        var map: [String: String]?
        var required: String
    }

    @Test("scalars convert, overflow, mismatch and go missing as with JSONDecoder", arguments: [
        #"{"required":"r"}"#,
        #"{"required":"r","int8":127,"uint":0,"int32":-5,"int64":1e3,"double":2,"float":0.5,"flag":false}"#,
        #"{"required":"r","int8":128}"#, #"{"required":"r","uint":-1}"#, #"{"required":"r","int32":1.5}"#,
        #"{"required":"r","int64":"1"}"#, #"{"required":"r","double":"x"}"#, #"{"required":"r","flag":1}"#,
        #"{"required":"r","text":5}"#, #"{"required":"r","text":null,"list":null}"#, #"{"required":null}"#, #"{}"#,
        #"{"required":"r","data":"aGVsbG8="}"#, #"{"required":"r","data":"not base64!"}"#,
        #"{"required":"r","url":"https://example.com/a?b=c"}"#, #"{"required":"r","list":[1,"2",3]}"#,
        #"{"required":"r","list":[1,null]}"#, #"{"required":"r","map":{"a":"b","c":"d","":"empty"}}"#,
        #"{"required":"r","map":{"a":1}}"#, #"[]"#, #""text""#,
    ])
    func scalars(text: String) {
        Self.expectSameOutcome(Scalars.self, text)
    }

    @Test("a pod list decodes to the same value, and a wrong field is reported at the same coding path")
    func podList() throws {
        let pods = (0..<50).map { index in
            Pod(metadata: ObjectMeta(name: "p\(index)", namespace: "default", labels: ["app": "a", "shard": "\(index % 3)"], annotations: ["note": "ünïcode \"quoted\""]),
                spec: PodSpec(containers: [Container(name: "c", image: "i", resources: ResourceRequirements(limits: ["nvidia.com/gpu": "1"], requests: ["cpu": "500m"]))],
                              nodeSelector: ["pool": "a100"], tolerations: [Toleration(key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule")]))
        }
        let text = String(decoding: try JSONEncoder().encode(ObjectList(apiVersion: "v1", kind: "PodList", metadata: ListMeta(), items: pods)), as: UTF8.self)
        Self.expectSameOutcome(ObjectList<Pod>.self, text)
        #expect(try KubeJSONDecoder().decode(ObjectList<Pod>.self, from: Data(text.utf8)).items == pods)
        // p7's name becomes a number: both decoders fail at items[7].metadata.name.
        let broken = text.replacingOccurrences(of: #""name":"p7""#, with: #""name":7"#)
        #expect(broken != text)
        Self.expectSameOutcome(ObjectList<Pod>.self, broken)
        let expected = Outcome<ObjectList<Pod>>.failure(kind: "typeMismatch", path: ["items", "[7]", "metadata", "name"])
        #expect(Self.outcome(ObjectList<Pod>.self, broken) { try KubeJSONDecoder().decode(ObjectList<Pod>.self, from: $0) } == expected)
    }

    @Test("random documents decode to what JSONDecoder makes of them")
    func randomDocuments() throws {
        var generator = SplitMix64(seed: 4)
        for _ in 0..<200 {
            let value = Self.randomValue(depth: 0, &generator)
            let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
            Self.expectSameOutcome(JSONValue.self, text)
        }
    }

    static func randomValue(depth: Int, _ generator: inout SplitMix64) -> JSONValue {
        let choice = depth > 4 ? generator.next() % 5 : generator.next() % 7
        switch choice {
        case 0: return .null
        case 1: return .bool(generator.next() % 2 == 0)
        case 2: return .int(Int64(bitPattern: generator.next()) >> Int64(generator.next() % 60))
        case 3: return .double(Double(Int64(bitPattern: generator.next()) >> 20) / 1024)
        case 4:
            let scalars = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u{01}", "é", "中", "😀", "/"]
            return .string((0..<Int(generator.next() % 12)).map { _ in scalars[Int(generator.next() % UInt64(scalars.count))] }.joined())
        case 5: return .array((0..<Int(generator.next() % 5)).map { _ in randomValue(depth: depth + 1, &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int(generator.next() % 6) { members["k\(index)\(generator.next() % 3 == 0 ? "é" : "")"] = randomValue(depth: depth + 1, &generator) }
            return .object(members)
        }
    }
}

extension JSONValue {
    static func parseFixture(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
