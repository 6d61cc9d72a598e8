import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// Watch protocol over HTTP: resume from a revision, selector transitions, bookmarks, 410 Expired.
@Suite("Watch")
struct WatchTests {
    static func configMap(_ name: String, app: String) -> String {
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","labels":{"app":"\#(app)"}}}"#
    }

    @Test("resourceVersion N replays later changes; \"\" starts with ADDED for every object")
    func resume() async throws {
        try await TestCluster.with { test in
            let first = try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap("a", app: "x"))
            let start = try #require(first.at("metadata.resourceVersion")?.stringValue)
            try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap("b", app: "x"))
            try await test.request("DELETE", "/api/v1/namespaces/default/configmaps/a")
            let events = try await test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(start)&timeoutSeconds=1")
            #expect(events.map { $0["type"]?.stringValue } == ["ADDED", "DELETED"])
            #expect(events.map { $0.at("object.metadata.name")?.stringValue } == ["b", "a"])
            let initial = try await test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1")
            #expect(initial.map { $0["type"]?.stringValue } == ["ADDED"])
        }
    }

    @Test("objects that start or stop matching the selector become ADDED and DELETED")
    func selectorTransitions() async throws {
        try await TestCluster.with { test in
            let created = try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap("a", app: "other"))
            let start = try #require(created.at("metadata.resourceVersion")?.stringValue)
            for app in ["train", "train2", "serve"] {
                try await test.request("PATCH", "/api/v1/namespaces/default/configmaps/a", json: #"{"metadata":{"labels":{"app":"\#(app)"}}}"#,
                                       contentType: "application/merge-patch+json")
            }
            let selector = "app+in+%28train%2Ctrain2%29"
            let events = try await test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(start)&labelSelector=\(selector)&timeoutSeconds=1")
            #expect(events.map { $0["type"]?.stringValue } == ["ADDED", "MODIFIED", "DELETED"])
            #expect(events.last?.at("object.metadata.labels.app") == .string("train2"))
        }
    }

    @Test("bookmarks are sent only when asked for, with the current resourceVersion")
    func bookmarks() async throws {
        try await TestCluster.with { test in
            let created = try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap("a", app: "x"))
            let version = try #require(created.at("metadata.resourceVersion")?.stringValue)
            let with = try await test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(version)&allowWatchBookmarks=true&timeoutSeconds=1")
            let bookmark = try #require(with.last)
            #expect(bookmark["type"] == .string("BOOKMARK"))
            #expect(bookmark.at("object.kind") == .string("ConfigMap"))
            #expect(bookmark.at("object.metadata.resourceVersion")?.stringValue == version)
            let without = try await test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(version)&timeoutSeconds=1")
            #expect(without.isEmpty)
        }
    }

    @Test("a resourceVersion older than the history answers an in-stream 410 Expired")
    func expired() async throws {
        try await TestCluster.with({ $0.watchHistoryCapacity = 2 }) { test in
            let first = try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap("a", app: "x"))
            let start = try #require(first.at("metadata.resourceVersion")?.stringValue)
            for name in ["b", "c", "d"] {
                try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap(name, app: "x"))
            }
            let events = try await test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(start)")
            #expect(events.count == 1)
            #expect(events.first?["type"] == .string("ERROR"))
            #expect(events.first?.at("object.code") == .int(410))
            #expect(events.first?.at("object.reason") == .string("Expired"))
            #expect(events.first?.at("object.message")?.stringValue?.hasPrefix("too old resource version: \(start)") == true)
        }
    }

    @Test("dropping all watches ends open streams after the events already sent")
    func dropWatches() async throws {
        try await TestCluster.with { test in
            try await test.create("/api/v1/namespaces/default/configmaps", Self.configMap("a", app: "x"))
            async let events = test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true")
            var open = false
            for _ in 0..<500 where !open {
                open = test.cluster.api.store.openWatchCount == 1
                if !open { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(open)
            test.cluster.dropAllWatches()
            let received = try await events
            #expect(received.map { $0["type"]?.stringValue } == ["ADDED"])
        }
    }
}
