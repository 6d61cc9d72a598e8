import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// Pure tests of structural-schema validation wording and defaulting.
@Suite("Schema validation")
struct SchemaValidationTests {
    static func schema(_ text: String) throws -> StructuralSchema {
        StructuralSchema(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    @Test("messages", arguments: [
        (#"{"type":"integer","minimum":1}"#, "0", "spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1"),
        (#"{"type":"integer","maximum":5}"#, "6", "spec.n: Invalid value: 6: spec.n in body should be less than or equal to 5"),
        (#"{"type":"string","enum":["A","B"]}"#, #""C""#, #"spec.n: Unsupported value: "C": supported values: "A", "B""#),
        (#"{"type":"string","pattern":"^[a-z]+$"}"#, #""A1""#, #"spec.n: Invalid value: "A1": spec.n in body should match '^[a-z]+$'"#),
        (#"{"type":"string","maxLength":2}"#, #""abc""#, "spec.n: Too long: may not be more than 2 bytes"),
        (#"{"type":"array","maxItems":1}"#, "[1,2]", "spec.n: Too many: 2: must have at most 1 items"),
        (#"{"type":"boolean"}"#, "1", #"spec.n: Invalid value: "integer": spec.n in body must be of type boolean: "integer""#),
        (#"{"type":"string"}"#, "null", #"spec.n: Invalid value: "null": spec.n in body must be of type string: "null""#),
    ])
    func messages(schema: String, value: String, expected: String) throws {
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(value.utf8))
        let errors = SchemaValidation.validate(parsed, against: try Self.schema(schema), at: "spec.n")
        #expect(errors.map(\.description) == [expected])
    }

    @Test("valid values pass", arguments: [
        (#"{"type":"string","nullable":true}"#, "null"),
        (#"{"x-kubernetes-int-or-string":true}"#, #""50%""#),
        (#"{"x-kubernetes-int-or-string":true}"#, "3"),
        (#"{"type":"number","minimum":0.5}"#, "1"),
    ])
    func valid(schema: String, value: String) throws {
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(value.utf8))
        #expect(SchemaValidation.validate(parsed, against: try Self.schema(schema), at: "spec.n").isEmpty)
    }

    @Test("defaults fill absent members recursively, not present ones")
    func defaults() throws {
        let schema = try Self.schema(#"{"type":"object","properties":{"a":{"type":"integer","default":1},"b":{"type":"object","default":{},"properties":{"c":{"type":"string","default":"x"}}}}}"#)
        let defaulted = SchemaDefaulting.applyDefaults(.object(["a": .int(5)]), schema: schema)
        #expect(defaulted == .object(["a": .int(5), "b": .object(["c": .string("x")])]))
    }
}
