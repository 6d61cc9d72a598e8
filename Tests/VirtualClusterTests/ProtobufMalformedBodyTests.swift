import Foundation
import KubeAPI
import Sampling
import Testing
@testable import VirtualCluster

/// Malformed protobuf is a 400 `BadRequest` naming the problem and never a crash: random bytes,
/// every truncation of a real body, a wrong magic, lengths that overflow their parent, varints that
/// never end and nesting deeper than any kind has. Seeded, so a failure reproduces.
@Suite("protobuf malformed bodies")
struct ProtobufMalformedBodyTests {
    /// SplitMix64: small, seedable, the same sequence everywhere.
    static let deployment = """
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
     "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}},
      "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx",
      "resources":{"limits":{"cpu":"1"}},"ports":[{"containerPort":80}]}]}}}}
    """

    /// Decodes and reports whether the body was accepted; a rejection must be a 400 with a message.
    func outcome(_ body: [UInt8]) -> Bool {
        do {
            _ = try ProtobufEnvelope.decodeObject(body, expecting: "Deployment")
            return true
        } catch {
            #expect(error.code == 400 && error.status.reason == "BadRequest" && !(error.status.message ?? "").isEmpty)
            return false
        }
    }

    @Test("every truncation of a real body is rejected or read, never a trap")
    func truncations() throws {
        let body = try protobufBody(Self.deployment)
        var rejected = 0
        for length in 0..<body.count where !outcome(Array(body[0..<length])) { rejected += 1 }
        // Cutting inside a length-delimited field always fails; most cuts land inside one.
        #expect(rejected > body.count / 2)
        #expect(outcome(body))
    }

    @Test("random bodies and random corruptions of a real one")
    func randomBodies() throws {
        var random = SplitMix64(seed: 14)
        let body = try protobufBody(Self.deployment)
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = ProtobufEnvelope.magic + (0..<Int.random(in: 0..<200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = body
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    bytes[Int.random(in: 4..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            _ = outcome(bytes)
        }
    }

    @Test("wrong magic, empty bodies and a foreign content type inside the envelope")
    func envelopeErrors() throws {
        let body = try protobufBody(Self.deployment)
        for (bytes, text) in [
            ([UInt8](), "empty data"),
            (Array("k8s".utf8), "does not appear to be a protobuf message"),
            (Array("{\"kind\":\"Deployment\"}".utf8), "does not appear to be a protobuf message"),
            ([0x6B, 0x38, 0x73, 0x01] + body.dropFirst(4), "expected prefix"),
            (ProtobufEnvelope.magic, "empty body"),
        ] {
            #expect(throws: APIError.self) { try ProtobufEnvelope.decodeObject(bytes, expecting: "Deployment") }
            do { _ = try ProtobufEnvelope.decodeObject(bytes, expecting: "Deployment") } catch {
                #expect(error.status.message?.contains(text) == true, "\(error.status.message ?? "")")
                #expect(error.status.message?.hasPrefix("the object provided is unrecognized (must be of type Deployment)") == true)
            }
        }
        var typeMeta = ProtobufWriter()
        typeMeta.string(1, "apps/v1")
        typeMeta.string(2, "Deployment")
        var unknown = ProtobufWriter()
        unknown.append(raw: ProtobufEnvelope.magic)
        unknown.message(1, typeMeta)
        unknown.lengthDelimited(2, [])
        unknown.string(4, "application/json")
        do { _ = try ProtobufEnvelope.decodeObject(unknown.bytes, expecting: "Deployment") } catch {
            #expect(error.status.message?.contains(#"content type "application/json" inside the envelope is not supported"#) == true)
        }
    }

    @Test("a nested length past its parent's end, an endless varint and deep nesting name the field")
    func hostileLengths() throws {
        func wrapped(_ raw: [UInt8], kind: String = "Deployment") -> [UInt8] {
            var writer = ProtobufWriter()
            writer.append(raw: raw)
            return ProtobufEnvelope.wrap(apiVersion: "apps/v1", kind: kind, raw: writer)
        }
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try ProtobufEnvelope.decodeObject(bytes, expecting: "Deployment"); return "accepted" } catch {
                return error.status.message ?? ""
            }
        }
        // metadata (field 1) of 5 bytes whose name (field 1) claims 100.
        let overflow = wrapped([0x0A, 0x05, 0x0A, 0x64, 0x61, 0x62, 0x63])
        #expect(message(overflow).contains("metadata.name: length 100 exceeds the 3 bytes that remain"), "\(message(overflow))")
        #expect(message(overflow).hasPrefix(#"Deployment in version "v1" cannot be handled as a Deployment: "#))
        // A length of 2^63 in the outer message.
        let huge = wrapped([0x0A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        #expect(message(huge).contains("exceeds"), "\(message(huge))")
        // A varint of eleven continuation bytes.
        let endless = wrapped([0x0A] + Array(repeating: 0xFF, count: 11) + [0x01])
        #expect(message(endless).contains("integer overflow"), "\(message(endless))")
        // A string field sent as a varint.
        let wrongType = wrapped([0x0A, 0x02, 0x08, 0x01])
        #expect(message(wrongType).contains("metadata.name: wrong wire type 0"), "\(message(wrongType))")
        // Invalid UTF-8 in a string.
        let badText = wrapped([0x0A, 0x03, 0x0A, 0x01, 0xFF])
        #expect(message(badText).contains("invalid UTF-8"), "\(message(badText))")
        // Nesting is bounded: a self-recursive message a thousand levels deep stops at the limit.
        let recursive = ProtobufSchema(table: "M\tx.Node\tobject\nF\t1\tchild\t1\t.x.Node\tomit")
        var nested: [UInt8] = []
        for _ in 0..<1000 {
            var writer = ProtobufWriter()
            writer.lengthDelimited(1, nested)
            nested = writer.bytes
        }
        #expect(throws: ProtobufDecodingError.self) {
            try ProtobufObjectReader(schema: recursive).read(nested, as: try #require(recursive.messages["x.Node"]))
        }
        let node = try #require(recursive.messages["x.Node"])
        do { _ = try ProtobufObjectReader(schema: recursive).read(nested, as: node) } catch {
            #expect(error.description.contains("nested deeper than \(ProtobufObjectReader.maximumDepth) levels"))
            #expect(error.description.hasPrefix("child.child.child."))
        }
        // The kind must be one the schema knows.
        #expect(message(wrapped([], kind: "Gadget")).contains(#"no kind "Gadget" is registered for version "apps/v1""#))
    }
}
