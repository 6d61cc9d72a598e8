import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// `application/vnd.kubernetes.protobuf` over HTTP as typed Go clients use it: bodies of built-in
/// kinds, DeleteOptions and Scale read from protobuf; answers in protobuf when asked for first;
/// custom resources JSON-only with a 415 for a protobuf body; malformed bodies a 400 Status.
@Suite("protobuf over HTTP")
struct ProtobufHTTPTests {
    static let configMap = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default"},"data":{"mode":"fast"}}"#

    @Test("create, get, list and update a ConfigMap in protobuf; the Accept order decides the answer's format")
    func configMapLifecycle() async throws {
        try await TestCluster.with { test in
            let created = try await test.send("POST", "/api/v1/namespaces/default/configmaps", body: try protobufBody(Self.configMap))
            #expect(created.code == 201)
            #expect(created.contentType == ProtobufEnvelope.mediaType)
            let object = try created.object()
            #expect(object["data"]?["mode"] == .string("fast"))
            #expect(object["metadata"]?["uid"]?.stringValue?.isEmpty == false)
            #expect(object["metadata"]?["creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)

            let asJSON = try await test.send("GET", "/api/v1/namespaces/default/configmaps/settings", accept: "application/json, application/vnd.kubernetes.protobuf")
            #expect(asJSON.contentType == "application/json")
            #expect(try asJSON.object() == object)
            let asProtobuf = try await test.send("GET", "/api/v1/namespaces/default/configmaps/settings")
            #expect(asProtobuf.contentType == ProtobufEnvelope.mediaType)
            #expect(Array(asProtobuf.data.prefix(4)) == ProtobufEnvelope.magic)
            #expect(try asProtobuf.object() == object)

            let list = try await test.send("GET", "/api/v1/namespaces/default/configmaps")
            #expect(list.contentType == ProtobufEnvelope.mediaType)
            let items = try list.object()
            #expect(items["kind"] == .string("ConfigMapList"))
            #expect(items["items"]?.arrayValue?.first?["metadata"]?["name"] == .string("settings"))
            #expect(items["metadata"]?["resourceVersion"]?.stringValue?.isEmpty == false)

            var changed = object
            changed.setValue(.string("slow"), at: ["data", "mode"])
            let updated = try await test.send("PUT", "/api/v1/namespaces/default/configmaps/settings",
                                              body: try protobufBody(changed.jsonText))
            #expect(updated.code == 200)
            #expect(try updated.object()["data"]?["mode"] == .string("slow"))

            // A stale resourceVersion is a 409 Status, itself answered in protobuf.
            let stale = try await test.send("PUT", "/api/v1/namespaces/default/configmaps/settings",
                                            body: try protobufBody(changed.jsonText))
            #expect(stale.code == 409)
            #expect(stale.contentType == ProtobufEnvelope.mediaType)
            #expect(try stale.object()["reason"] == .string("Conflict"))
        }
    }

    @Test("DELETE with protobuf DeleteOptions honours its preconditions")
    func deleteOptions() async throws {
        try await TestCluster.with { test in
            _ = try await test.send("POST", "/api/v1/namespaces/default/configmaps", body: try protobufBody(Self.configMap))
            let wrongUID = try protobufBody(#"{"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"uid":"not-it"},"propagationPolicy":"Background"}"#)
            let refused = try await test.send("DELETE", "/api/v1/namespaces/default/configmaps/settings", body: wrongUID)
            #expect(refused.code == 409)
            #expect(try refused.object()["message"]?.stringValue?.contains("Precondition failed: UID in precondition: not-it") == true)
            let plain = try protobufBody(#"{"apiVersion":"meta.k8s.io/v1","kind":"DeleteOptions","gracePeriodSeconds":0}"#)
            let deleted = try await test.send("DELETE", "/api/v1/namespaces/default/configmaps/settings", body: plain)
            #expect(deleted.code == 200)
            #expect(try deleted.object()["status"] == .string("Success"))
            let gone = try await test.send("GET", "/api/v1/namespaces/default/configmaps/settings")
            #expect(gone.code == 404)
            #expect(try gone.object()["reason"] == .string("NotFound"))
        }
    }

    @Test("PUT /scale with a protobuf Scale, answered as one")
    func scale() async throws {
        try await TestCluster.with { test in
            let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}"#
            let created = try await test.send("POST", "/apis/apps/v1/namespaces/default/deployments", body: try protobufBody(deployment))
            #expect(created.code == 201)
            let scale = try protobufBody(#"{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":0}}"#)
            let scaled = try await test.send("PUT", "/apis/apps/v1/namespaces/default/deployments/web/scale", body: scale)
            #expect(scaled.code == 200)
            #expect(scaled.contentType == ProtobufEnvelope.mediaType)
            let answer = try scaled.object()
            #expect(answer["kind"] == .string("Scale"))
            #expect(answer["status"]?["selector"] == .string("app=web"))
            let stored = try await test.send("GET", "/apis/apps/v1/namespaces/default/deployments/web", accept: "application/json")
            // The explicit zero survives (a Go pointer), as it does on the real server.
            #expect(try stored.object()["spec"]?["replicas"] == .int(0))
        }
    }

    @Test("custom resources stay JSON: a protobuf body is a 415, a protobuf Accept gets JSON")
    func customResources() async throws {
        try await TestCluster.with { test in
            try await test.loadFile("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml")
            let path = "/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments"
            let body = ProtobufEnvelope.wrap(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineDeployment", raw: ProtobufWriter())
            let refused = try await test.send("POST", path, body: body)
            #expect(refused.code == 415)
            #expect(refused.contentType == "application/json")
            #expect(try refused.object()["reason"] == .string("UnsupportedMediaType"))
            let created = try await test.request("POST", path, json: #"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"pool"},"spec":{"clusterName":"fleet","replicas":1}}"#)
            #expect(created.code == 201, "\(created.text)")
            let read = try await test.send("GET", "\(path)/pool")
            #expect(read.code == 200)
            #expect(read.contentType == "application/json")
            // DeleteOptions are built in, so a typed client may send them in protobuf to a custom resource.
            let deleted = try await test.send("DELETE", "\(path)/pool", body: try protobufBody(#"{"apiVersion":"v1","kind":"DeleteOptions"}"#))
            #expect(deleted.code == 200)
        }
    }

    @Test("a malformed protobuf body is a 400 BadRequest naming the problem")
    func malformedBody() async throws {
        try await TestCluster.with { test in
            // The envelope is whole; the ConfigMap inside it is cut short.
            var raw = ProtobufWriter()
            raw.append(raw: Array(try ProtobufEnvelope.unwrap(try protobufBody(Self.configMap)).raw.dropLast(3)))
            let body = ProtobufEnvelope.wrap(apiVersion: "v1", kind: "ConfigMap", raw: raw)
            let reply = try await test.send("POST", "/api/v1/namespaces/default/configmaps", body: body)
            #expect(reply.code == 400)
            let status = try reply.object()
            #expect(status["reason"] == .string("BadRequest"))
            #expect(status["message"]?.stringValue?.hasPrefix(#"ConfigMap in version "v1" cannot be handled as a ConfigMap: "#) == true,
                    "\(status)")
            let wrongMagic = try await test.send("POST", "/api/v1/namespaces/default/configmaps", body: Array("{}".utf8))
            #expect(wrongMagic.code == 400)
            #expect(try wrongMagic.object()["message"]?.stringValue?.contains("does not appear to be a protobuf message") == true)
        }
    }

    @Test("Secrets: stringData folds into base64 data and type defaults to Opaque, through protobuf as through JSON")
    func secrets() async throws {
        try await TestCluster.with { test in
            let secret = #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"release"},"data":{"a":"YQ=="},"stringData":{"b":"bee"}}"#
            let created = try await test.send("POST", "/api/v1/namespaces/default/secrets", body: try protobufBody(secret))
            #expect(created.code == 201)
            let object = try created.object()
            #expect(object["data"] == .object(["a": .string("YQ=="), "b": .string("YmVl")]))
            #expect(object["stringData"] == nil)
            #expect(object["type"] == .string("Opaque"))
            let listed = try await test.request("GET", "/api/v1/namespaces/default/secrets?fieldSelector=type%3DOpaque")
            #expect(listed.body["items"]?.arrayValue?.count == 1, "\(listed.text)")
            let invalid = try await test.request("POST", "/api/v1/namespaces/default/secrets",
                                                 json: #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"bad"},"data":{"a":"not base64!"}}"#)
            #expect(invalid.code == 422, "\(invalid.text)")
        }
    }
}
