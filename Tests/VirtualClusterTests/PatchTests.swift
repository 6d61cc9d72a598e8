import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// Patch semantics, pure (table-driven) and over HTTP.
@Suite("Patches")
struct PatchTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("JSON merge patch (RFC 7386)", arguments: [
        (#"{"a":1,"b":{"c":2}}"#, #"{"b":{"c":null,"d":3}}"#, #"{"a":1,"b":{"d":3}}"#),
        (#"{"l":[1,2]}"#, #"{"l":[3]}"#, #"{"l":[3]}"#),
        (#"{"a":1}"#, #"{"a":null}"#, #"{}"#),
    ])
    func mergePatch(target: String, patch: String, expected: String) throws {
        #expect(MergePatch.apply(try Self.json(patch), to: try Self.json(target)) == (try Self.json(expected)))
    }

    @Test("JSON patch (RFC 6902)", arguments: [
        (#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/1","value":9}]"#, #"{"a":[1,9,2]}"#),
        (#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/-","value":3}]"#, #"{"a":[1,2,3]}"#),
        (#"{"a":1,"b":2}"#, #"[{"op":"remove","path":"/a"},{"op":"replace","path":"/b","value":5}]"#, #"{"b":5}"#),
        (#"{"a":{"x":1}}"#, #"[{"op":"move","from":"/a/x","path":"/y"}]"#, #"{"a":{},"y":1}"#),
        (#"{"a/b":1}"#, #"[{"op":"copy","from":"/a~1b","path":"/c"},{"op":"test","path":"/c","value":1}]"#, #"{"a/b":1,"c":1}"#),
    ])
    func jsonPatch(target: String, patch: String, expected: String) throws {
        #expect(try JSONPatch.apply(try Self.json(patch), to: try Self.json(target)) == (try Self.json(expected)))
    }

    @Test("a failing JSON patch test is a 422")
    func failedTest() throws {
        #expect(throws: APIError.self) {
            try JSONPatch.apply(try Self.json(#"[{"op":"test","path":"/a","value":2}]"#), to: try Self.json(#"{"a":1}"#))
        }
    }

    @Test("strategic merge keeps a pod's GPU limit when kubectl changes the image")
    func strategicMergeKeepsLimits() throws {
        let pod = try Self.json(#"{"spec":{"containers":[{"name":"c","image":"busybox:1","resources":{"limits":{"nvidia.com/gpu":"1"}}},{"name":"d","image":"x"}]}}"#)
        let patch = try Self.json(#"{"spec":{"$setElementOrder/containers":[{"name":"d"},{"name":"c"}],"containers":[{"image":"busybox:2","name":"c"}]}}"#)
        let result = try StrategicMergePatch.apply(patch, to: pod)
        let containers = result.value(at: ["spec", "containers"])?.arrayValue ?? []
        #expect(containers.map { $0["name"]?.stringValue } == ["d", "c"])
        #expect(containers.last?["image"] == .string("busybox:2"))
        #expect(containers.last?.value(at: ["resources", "limits", "nvidia.com/gpu"]) == .string("1"))
    }

    @Test("strategic merge directives", arguments: [
        (#"{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}"#, #"{"env":[{"name":"A","$patch":"delete"}]}"#, #"{"env":[{"name":"B","value":"2"}]}"#),
        (#"{"finalizers":["a","b"]}"#, #"{"$deleteFromPrimitiveList/finalizers":["a"]}"#, #"{"finalizers":["b"]}"#),
        (#"{"finalizers":["a"]}"#, #"{"finalizers":["b"]}"#, #"{"finalizers":["a","b"]}"#),
        (#"{"x":{"a":1,"b":2}}"#, #"{"x":{"$patch":"replace","c":3}}"#, #"{"x":{"c":3}}"#),
        (#"{"s":{"a":1,"b":2}}"#, #"{"s":{"$retainKeys":["b"],"b":3}}"#, #"{"s":{"b":3}}"#),
    ])
    func directives(target: String, patch: String, expected: String) throws {
        #expect(try StrategicMergePatch.apply(try Self.json(patch), to: try Self.json(target)) == (try Self.json(expected)))
    }

    @Test("server-side apply creates (201), updates (200) and removes fields the manager dropped")
    func serverSideApply() async throws {
        try await TestCluster.with { test in
            let path = "/api/v1/namespaces/default/configmaps/cfg?fieldManager=tester"
            let first = try await test.request("PATCH", path, json: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"1","b":"2"}}"#,
                                               contentType: "application/apply-patch+yaml")
            #expect(first.code == 201)
            try await test.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", json: #"{"data":{"other":"x"}}"#,
                                   contentType: "application/merge-patch+json")
            let second = try await test.request("PATCH", path, json: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: \"3\"\n",
                                                contentType: "application/apply-patch+yaml")
            #expect(second.code == 200)
            #expect(second.body["data"] == .object(["a": .string("3"), "other": .string("x")]))
            let missingManager = try await test.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", json: "{}",
                                                        contentType: "application/apply-patch+yaml")
            #expect(missingManager.code == 422)
        }
    }

    @Test("a patch carrying a stale resourceVersion is a 409 Conflict")
    func patchPrecondition() async throws {
        try await TestCluster.with { test in
            try await test.create("/api/v1/namespaces/default/configmaps", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}"#)
            let reply = try await test.request("PATCH", "/api/v1/namespaces/default/configmaps/c",
                                               json: #"{"metadata":{"resourceVersion":"1"},"data":{"a":"b"}}"#, contentType: "application/merge-patch+json")
            #expect(reply.code == 409)
        }
    }
}
