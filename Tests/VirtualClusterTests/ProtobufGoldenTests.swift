import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// Bodies captured from the real kubectl 1.32 (`kubectl create … -v=9`, by
/// hack/protobuf/capture-kubectl-bodies.py) beside the JSON Go's encoding/json gives the same typed
/// object (`--dry-run=client -o json`): the decoder must produce exactly that JSON, and the object
/// stored from the protobuf body must equal the one stored from the JSON body.
@Suite("protobuf golden bodies from kubectl")
struct ProtobufGoldenTests {
    /// Fixture name → collection path the body is posted to.
    static let collections: [String: String] = [
        "namespace": "/api/v1/namespaces",
        "configmap": "/api/v1/namespaces/default/configmaps",
        "secret-generic": "/api/v1/namespaces/default/secrets",
        "secret-docker-registry": "/api/v1/namespaces/default/secrets",
        "deployment": "/apis/apps/v1/namespaces/default/deployments",
        "job": "/apis/batch/v1/namespaces/default/jobs",
        "cronjob": "/apis/batch/v1/namespaces/default/cronjobs",
        "serviceaccount": "/api/v1/namespaces/default/serviceaccounts",
        "role": "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
        "rolebinding": "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
        "clusterrole": "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        "clusterrolebinding": "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        "priorityclass": "/apis/scheduling.k8s.io/v1/priorityclasses",
    ]

    static func fixture(_ name: String) throws -> (body: [UInt8], json: JSONValue) {
        let body = try Data(contentsOf: protobufFixtures.appendingPathComponent("\(name).pb"))
        let json = try Data(contentsOf: protobufFixtures.appendingPathComponent("\(name).json"))
        return (Array(body), try JSONDecoder().decode(JSONValue.self, from: json))
    }

    @Test("every captured kind has its fixture pair")
    func fixturesPresent() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: protobufFixtures.path)
        #expect(Set(names.filter { $0.hasSuffix(".pb") }.map { String($0.dropLast(3)) }) == Set(Self.collections.keys))
    }

    @Test("the body decodes to the JSON Go renders for the same object", arguments: collections.keys.sorted())
    func decodesToGoJSON(name: String) throws {
        let (body, expected) = try Self.fixture(name)
        let kind = try #require(expected["kind"]?.stringValue)
        let decoded = try ProtobufEnvelope.decodeObject(body, expecting: kind)
        #expect(decoded == expected, "\(name): decoded \(decoded.jsonText)\nexpected \(expected.jsonText)")
    }

    @Test("the object stored from the protobuf body equals the one stored from its JSON", arguments: collections.keys.sorted())
    func storesLikeJSON(name: String) async throws {
        let (body, json) = try Self.fixture(name)
        let path = try #require(Self.collections[name])
        try await TestCluster.with { test in
            let fromProtobuf = try await test.send("POST", path, body: body, accept: "application/json")
            #expect(fromProtobuf.code == 201, "\(String(decoding: fromProtobuf.data, as: UTF8.self))")
            let objectName = try #require(json["metadata"]?["name"]?.stringValue)
            let deleted = try await test.request("DELETE", "\(path)/\(objectName)")
            #expect(deleted.code == 200, "\(deleted.text)")
            let fromJSON = try await test.request("POST", path, json: json.jsonText)
            #expect(fromJSON.code == 201, "\(fromJSON.text)")
            #expect(Self.comparable(try fromProtobuf.object()) == Self.comparable(fromJSON.body))
        }
    }

    /// The object without what differs between two creations (identity and times).
    static func comparable(_ object: JSONValue) -> JSONValue {
        var copy = object
        for key in ["uid", "resourceVersion", "creationTimestamp", "managedFields"] { copy.setValue(nil, at: ["metadata", key]) }
        return copy
    }
}
