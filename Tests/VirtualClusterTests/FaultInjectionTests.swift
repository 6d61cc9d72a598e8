import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fault injection, programmatic and through the admin endpoint.
@Suite("Fault injection")
struct FaultInjectionTests {
    @Test("injected 503s answer the next N matching requests, then normal service resumes")
    func failures() async throws {
        try await TestCluster.with { test in
            test.cluster.faults.fail(RequestMatch(method: "GET", pathContains: "/configmaps"), code: 503, times: 2, retryAfterSeconds: 1)
            let first = try await test.request("GET", "/api/v1/namespaces/default/configmaps")
            #expect(first.code == 503)
            #expect(first.headers["retry-after"] == "1")
            #expect(first.body["reason"] == .string("ServiceUnavailable"))
            let other = try await test.request("GET", "/api/v1/namespaces")
            #expect(other.code == 200)
            #expect(try await test.request("GET", "/api/v1/namespaces/default/configmaps").code == 503)
            #expect(try await test.request("GET", "/api/v1/namespaces/default/configmaps").code == 200)
        }
    }

    @Test("a 429 through the admin endpoint has a plain-text body and Retry-After")
    func tooManyRequestsViaAdmin() async throws {
        try await TestCluster.with { test in
            let admin = try await test.request("POST", RequestRouting.faultsPath,
                                               json: #"{"action":"fail","code":429,"times":1,"retryAfterSeconds":2,"pathContains":"/pods"}"#)
            #expect(admin.code == 200)
            let limited = try await test.request("GET", "/api/v1/pods")
            #expect(limited.code == 429)
            #expect(limited.headers["retry-after"] == "2")
            #expect(limited.text.hasPrefix("Too many requests"))
            let unknown = try await test.request("POST", RequestRouting.faultsPath, json: #"{"action":"explode"}"#)
            #expect(unknown.code == 400)
        }
    }

    @Test("compacting the history makes an old watch resourceVersion expire")
    func compaction() async throws {
        try await TestCluster.with { test in
            let created = try await test.create("/api/v1/namespaces/default/configmaps", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}"#)
            let version = try #require(created.at("metadata.resourceVersion")?.stringValue)
            try await test.create("/api/v1/namespaces/default/configmaps", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"}}"#)
            let admin = try await test.request("POST", RequestRouting.faultsPath, json: #"{"action":"compactHistory"}"#)
            #expect(admin.code == 200)
            let events = try await test.watchEvents("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(version)")
            #expect(events.first?.at("object.code") == .int(410))
        }
    }

    @Test("refused connections fail at connect time, and the same port serves again afterwards")
    func refuseConnections() async throws {
        try await TestCluster.with { test in
            try await test.cluster.refuseConnections(for: .milliseconds(500))
            var refused = false
            do {
                _ = try await test.request("GET", "/version")
            } catch {
                refused = true
            }
            #expect(refused)
            var served = false
            for _ in 0..<100 where !served {
                served = (try? await test.request("GET", "/version").code) == 200
                if !served { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(served)
        }
    }

    /// The admin endpoint's `refuseConnections`, as `fleetcast dev-cluster` users send it: both
    /// listeners close, reopen on their ports, and serve again; a reopening that failed would throw
    /// from `waitUntilListening()` instead of leaving the cluster silently deaf.
    @Test("refuseConnections through the admin endpoint reopens the listeners")
    func refuseConnectionsThroughTheAdminEndpoint() async throws {
        try await TestCluster.with { test in
            let admin = try await test.request("POST", RequestRouting.faultsPath, json: #"{"action":"refuseConnections","milliseconds":1500}"#)
            #expect(admin.code == 200)
            // The closing happens just after the answer: poll until a connection is refused.
            var refused = false
            for _ in 0..<500 where !refused {
                refused = (try? await test.request("GET", "/version")) == nil
                if !refused { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(refused)
            try await test.cluster.waitUntilListening()
            #expect(try await test.request("GET", "/version").code == 200)
            #expect(try await test.request("GET", "/api/v1/namespaces/default/configmaps").code == 200)
            // Twice in a row: the second refusal reopens as well.
            try await test.cluster.refuseConnections(for: .milliseconds(100))
            try await test.cluster.waitUntilListening()
            #expect(try await test.request("GET", "/version").code == 200)
        }
    }

    /// A watch that a client opens while the listeners are closing (on a kept-alive connection, after the
    /// open watches were ended) is an in-flight request that never ends by itself: closing must end it
    /// too, or the listeners stay closed for good (the chaos soak once lost its API server this way).
    @Test("a watch opened while the listeners close does not keep them closed", .timeLimit(.minutes(1)))
    func watchOpenedWhileClosing() async throws {
        try await TestCluster.with { test in
            test.cluster.faults.addLatency(.seconds(2), to: RequestMatch(method: "GET", pathContains: "/namespaces/late/"))
            let watch = Task { try await test.request("GET", "/api/v1/namespaces/late/configmaps?watch=true") }
            while test.cluster.faults.delayedRequestCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            // The watch is in flight, held back before it registers: ending the open watches misses it.
            try await test.cluster.refuseConnections(for: .milliseconds(200))
            let ended = try await watch.value
            #expect(ended.code == 200)
            try await test.cluster.waitUntilListening()
            test.cluster.faults.clear()
            #expect(try await test.request("GET", "/version").code == 200)
        }
    }
}
