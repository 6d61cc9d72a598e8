import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// Raw HTTP tests of the store's metadata rules and error shapes (kube-api-semantics.md §2–3).
@Suite("Store semantics over HTTP")
struct StoreSemanticsTests {
    static let configMap = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","labels":{"app":"a"}},"data":{"k":"v"}}"#

    @Test("create stamps uid, resourceVersion and creationTimestamp; get returns it")
    func createAndGet() async throws {
        try await TestCluster.with { test in
            let created = try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap)
            #expect(created.at("metadata.uid")?.stringValue?.count == 36)
            #expect(Int(created.at("metadata.resourceVersion")?.stringValue ?? "") != nil)
            #expect(created.at("metadata.creationTimestamp")?.stringValue?.hasSuffix("Z") == true)
            #expect(created.at("metadata.namespace")?.stringValue == "default")
            let fetched = try await test.request("GET", "/api/v1/namespaces/default/configmaps/c1")
            #expect(fetched.code == 200)
            #expect(fetched.body == created)
        }
    }

    @Test("404, 409 AlreadyExists and 409 Conflict carry the real Status shapes")
    func errorShapes() async throws {
        try await TestCluster.with { test in
            let missing = try await test.request("GET", "/api/v1/namespaces/default/configmaps/nope")
            #expect(missing.code == 404)
            #expect(missing.body["reason"] == .string("NotFound"))
            #expect(missing.body["message"] == .string(#"configmaps "nope" not found"#))
            #expect(missing.body.at("details.kind") == .string("configmaps"))
            #expect(missing.body["kind"] == .string("Status"))
            #expect(missing.body["code"] == .int(404))

            try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap)
            let duplicate = try await test.request("POST", "/api/v1/namespaces/default/configmaps", json: Self.configMap)
            #expect(duplicate.code == 409)
            #expect(duplicate.body["reason"] == .string("AlreadyExists"))
            #expect(duplicate.body["message"] == .string(#"configmaps "c1" already exists"#))

            let stale = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","resourceVersion":"1"},"data":{"k":"w"}}"#
            let conflict = try await test.request("PUT", "/api/v1/namespaces/default/configmaps/c1", json: stale)
            #expect(conflict.code == 409)
            #expect(conflict.body["reason"] == .string("Conflict"))
            #expect(conflict.body["message"] == .string(#"Operation cannot be fulfilled on configmaps "c1": the object has been modified; please apply your changes to the latest version and try again"#))
            #expect(conflict.body.at("details.name") == .string("c1"))

            let unknown = try await test.request("GET", "/apis/nothing.example/v1/things")
            #expect(unknown.code == 404)
            #expect(unknown.body["message"] == .string("the server could not find the requested resource"))
        }
    }

    @Test("a write that changes nothing keeps the resourceVersion and emits no event")
    func noOpWrite() async throws {
        try await TestCluster.with { test in
            let created = try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap)
            let version = try #require(created.at("metadata.resourceVersion")?.stringValue)
            let patched = try await test.request("PATCH", "/api/v1/namespaces/default/configmaps/c1", json: #"{"data":{"k":"v"}}"#,
                                                 contentType: "application/merge-patch+json")
            #expect(patched.code == 200)
            #expect(patched.body.at("metadata.resourceVersion")?.stringValue == version)
            let events = try await test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(version)&timeoutSeconds=1")
            #expect(events.isEmpty)
        }
    }

    @Test("status is ignored on the main resource and spec on /status; generation follows spec only")
    func statusSpecSplit() async throws {
        try await TestCluster.with { test in
            let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"i"}]}}},"status":{"replicas":9}}"#
            let created = try await test.create("/apis/apps/v1/namespaces/default/deployments", deployment)
            #expect(created.at("status.replicas") == nil)
            #expect(created.at("metadata.generation") == .int(1))

            let statusPatch = try await test.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/d/status",
                                                     json: #"{"spec":{"replicas":5},"status":{"replicas":2}}"#, contentType: "application/merge-patch+json")
            #expect(statusPatch.code == 200)
            #expect(statusPatch.body.at("status.replicas") == .int(2))
            #expect(statusPatch.body.at("spec.replicas") == .int(2))
            #expect(statusPatch.body.at("metadata.generation") == .int(1))

            let specPatch = try await test.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/d",
                                                   json: #"{"spec":{"replicas":3},"status":{"replicas":7}}"#, contentType: "application/merge-patch+json")
            #expect(specPatch.body.at("spec.replicas") == .int(3))
            #expect(specPatch.body.at("status.replicas") == .int(2))
            #expect(specPatch.body.at("metadata.generation") == .int(2))

            let labelPatch = try await test.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/d",
                                                    json: #"{"metadata":{"labels":{"x":"y"}}}"#, contentType: "application/merge-patch+json")
            #expect(labelPatch.body.at("metadata.generation") == .int(2))
        }
    }

    @Test("finalizers hold a deleted object until the last one is removed")
    func finalizers() async throws {
        try await TestCluster.with { test in
            let json = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"f","finalizers":["example.com/hold"]}}"#
            try await test.create("/api/v1/namespaces/default/configmaps", json)
            let deleted = try await test.request("DELETE", "/api/v1/namespaces/default/configmaps/f")
            #expect(deleted.code == 200)
            #expect(deleted.body.at("metadata.deletionTimestamp") != nil)
            let adding = try await test.request("PATCH", "/api/v1/namespaces/default/configmaps/f",
                                                json: #"{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}"#,
                                                contentType: "application/merge-patch+json")
            #expect(adding.code == 422)
            let released = try await test.request("PATCH", "/api/v1/namespaces/default/configmaps/f",
                                                  json: #"{"metadata":{"finalizers":null}}"#, contentType: "application/merge-patch+json")
            #expect(released.code == 200)
            let gone = try await test.request("GET", "/api/v1/namespaces/default/configmaps/f")
            #expect(gone.code == 404)
        }
    }

    @Test("bad and missing tokens answer 401 Unauthorized")
    func authentication() async throws {
        try await TestCluster.with { test in
            let reply = try await test.request("GET", "/api/v1/namespaces", token: "wrong")
            #expect(reply.code == 401)
            #expect(reply.body["reason"] == .string("Unauthorized"))
            let version = try await test.request("GET", "/version", token: "wrong")
            #expect(version.code == 200)
        }
    }

    @Test("pods: GPU requests must equal limits; missing requests default to limits")
    func podGPUValidation() async throws {
        try await TestCluster.with { test in
            let bad = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"nvidia.com/gpu":"2"},"requests":{"nvidia.com/gpu":"1"}}}]}}"#
            let rejected = try await test.request("POST", "/api/v1/namespaces/default/pods", json: bad)
            #expect(rejected.code == 422)
            #expect(rejected.body.at("details.causes")?.arrayValue?.first?["field"] == .string("spec.containers[0].resources.requests[nvidia.com/gpu]"))
            let good = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"nvidia.com/gpu":"2"}}}]}}"#
            let created = try await test.create("/api/v1/namespaces/default/pods", good)
            #expect(created.at("status.phase") == .string("Pending"))
            let requests = created.at("spec.containers")?.arrayValue?.first?.value(at: ["resources", "requests", "nvidia.com/gpu"])
            #expect(requests == .string("2"))
        }
    }
}
