import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// LIST: label and field selectors, pagination from a snapshot, expired continue tokens.
@Suite("List")
struct ListTests {
    func seedPods(_ test: TestCluster) async throws {
        let pods: [(String, String, String?)] = [("p1", "train", "n1"), ("p2", "serve", nil), ("p3", "train", nil)]
        for (name, app, node) in pods {
            let nodeField = node.map { #","nodeName":"\#($0)""# } ?? ""
            try await test.create("/api/v1/namespaces/default/pods",
                                  #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"\#(app)"}},"spec":{"containers":[{"name":"c","image":"i"}]\#(nodeField)}}"#)
        }
    }

    func names(_ reply: TestCluster.Reply) -> [String] {
        (reply.body["items"]?.arrayValue ?? []).compactMap { $0.at("metadata.name")?.stringValue }
    }

    @Test("label selectors with every operator, '+' decoded as a space", arguments: [
        ("app%3Dtrain", ["p1", "p3"]),
        ("app%21%3Dtrain", ["p2"]),
        ("app+in+%28serve%2Cx%29", ["p2"]),
        ("app+notin+%28serve%29", ["p1", "p3"]),
        ("app", ["p1", "p2", "p3"]),
        ("%21app", []),
        ("app%3D%3Dtrain%2Capp%21%3Dserve", ["p1", "p3"]),
    ])
    func labelSelectors(selector: String, expected: [String]) async throws {
        try await TestCluster.with { test in
            try await seedPods(test)
            let reply = try await test.request("GET", "/api/v1/namespaces/default/pods?labelSelector=\(selector)")
            #expect(reply.code == 200)
            #expect(names(reply) == expected)
        }
    }

    @Test("field selectors, including the empty value, and 400 for unsupported fields")
    func fieldSelectors() async throws {
        try await TestCluster.with { test in
            try await seedPods(test)
            let unscheduled = try await test.request("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3D%2Cstatus.phase%21%3DSucceeded")
            #expect(names(unscheduled) == ["p2", "p3"])
            let byName = try await test.request("GET", "/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dp1")
            #expect(names(byName) == ["p1"])
            let unsupported = try await test.request("GET", "/api/v1/namespaces/default/configmaps?fieldSelector=spec.nodeName%3Dx")
            #expect(unsupported.code == 400)
            #expect(unsupported.body["message"] == .string("field label not supported: spec.nodeName"))
        }
    }

    @Test("limit/continue pages come from one snapshot; an expired token answers 410")
    func pagination() async throws {
        try await TestCluster.with { test in
            try await seedPods(test)
            let first = try await test.request("GET", "/api/v1/namespaces/default/pods?limit=2")
            #expect(names(first) == ["p1", "p2"])
            let token = try #require(first.body.at("metadata.continue")?.stringValue)
            #expect(first.body.at("metadata.remainingItemCount") == .int(1))
            try await test.create("/api/v1/namespaces/default/pods",
                                  #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p0"},"spec":{"containers":[{"name":"c","image":"i"}]}}"#)
            let second = try await test.request("GET", "/api/v1/namespaces/default/pods?limit=2&continue=\(token)")
            #expect(names(second) == ["p3"])
            #expect(second.body.at("metadata.resourceVersion") == first.body.at("metadata.resourceVersion"))
            #expect(second.body.at("metadata.continue") == nil)
            test.cluster.compactHistory()
            let expired = try await test.request("GET", "/api/v1/namespaces/default/pods?limit=2&continue=\(token)")
            #expect(expired.code == 410)
            #expect(expired.body["reason"] == .string("Expired"))
        }
    }

    @Test("a LIST body joined from cached object texts is byte for byte the encoding of the whole list")
    func cachedEncodings() async throws {
        try await TestCluster.with { test in
            try await seedPods(test)
            let first = try await test.request("GET", "/api/v1/namespaces/default/pods")
            #expect(first.text == first.body.jsonText)
            let again = try await test.request("GET", "/api/v1/namespaces/default/pods")
            #expect(again.text == first.text)

            // A write stores a new version, so the next LIST carries the new text, not the cached one.
            let patched = try await test.request("PATCH", "/api/v1/namespaces/default/pods/p2", json: #"{"metadata":{"labels":{"app":"batch"}}}"#,
                                                 contentType: "application/merge-patch+json")
            #expect(patched.code == 200)
            let after = try await test.request("GET", "/api/v1/namespaces/default/pods")
            #expect(after.text == after.body.jsonText)
            let p2 = (after.body["items"]?.arrayValue ?? []).first { $0.at("metadata.name") == .string("p2") }
            #expect(p2?.at("metadata.labels.app") == .string("batch"))
            #expect(p2?.at("metadata.resourceVersion") == patched.body.at("metadata.resourceVersion"))
        }
    }

    @Test("one stored object listed through two versions is served with each version's apiVersion")
    func cachedEncodingPerVersion() async throws {
        try await TestCluster.with { test in
            try await test.loadFile("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml")
            try await test.create(CustomResourceTests.machineDeployments, CustomResourceTests.machineDeployment("md"))
            for version in ["v1beta2", "v1beta1", "v1beta2"] {
                let list = try await test.request("GET", "/apis/cluster.x-k8s.io/\(version)/namespaces/default/machinedeployments")
                #expect(list.body["apiVersion"] == .string("cluster.x-k8s.io/\(version)"))
                #expect(list.body["items"]?.arrayValue?.first?["apiVersion"] == .string("cluster.x-k8s.io/\(version)"))
            }
        }
    }
}
