import Foundation
import KubeAPI
import Testing
import VirtualCluster
@testable import KubeClient

@Suite struct WatchIntegrationTests {
    @Test func typedEventsBookmarksAndMultiMegabyteObjects() async throws {
        try await withCluster({ $0.bookmarkInterval = .milliseconds(50) }) { cluster in
            let client = cluster.client()
            let start = try await client.list(ConfigMap.self, namespace: "default")
            let events = try await client.watch(ConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: start.metadata.resourceVersion))
            let big = String(repeating: "g", count: 2 * 1024 * 1024)
            let writer = Task {
                try await eventually { cluster.openWatchCount == 1 }
                _ = try await client.create(configMap("w", data: ["k": "1"]))
                _ = try await client.patch(ConfigMap.self, name: "w", type: .merge, body: ["data": ["big": big]])
                try await client.delete(ConfigMap.self, name: "w")
            }
            var kinds: [String] = []
            var sawBookmark = false
            for try await event in events {
                switch event {
                case .added(let cm): kinds.append("ADDED \(cm.data?["k"] ?? "")")
                case .modified(let cm): kinds.append("MODIFIED \(cm.data?["big"]?.count ?? 0)")
                case .deleted: kinds.append("DELETED")
                case .bookmark(let rv): sawBookmark = sawBookmark || !rv.isEmpty
                }
                if kinds.count == 3, sawBookmark { break }
            }
            try await writer.value
            #expect(kinds == ["ADDED 1", "MODIFIED \(big.count)", "DELETED"])
            #expect(sawBookmark)
        }
    }

    @Test func watchFromCompactedVersionEndsWithGone() async throws {
        try await withCluster { cluster in
            let client = cluster.client()
            let old = try await client.create(configMap("a")).metadata.resourceVersion
            _ = try await client.create(configMap("b"))
            cluster.compactHistory()
            let stream = try await client.watch(ConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: old))
            await #expect {
                for try await _ in stream {}
            } throws: { isError($0) { if case .gone(let status) = $0 { status.code == 410 } else { false } } }
        }
    }

    @Test func serverClosingTheStreamEndsTheSequence() async throws {
        try await withCluster { cluster in
            let client = cluster.client()
            let stream = try await client.watch(ConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: cluster.resourceVersion))
            let dropper = Task {
                try await eventually { cluster.openWatchCount == 1 }
                cluster.dropAllWatches()
            }
            var count = 0
            for try await _ in stream { count += 1 }
            try await dropper.value
            #expect(count == 0)
            try await eventually { client.activeWatchCount == 0 }
        }
    }

    /// A watch on which nothing happens is cancelled: the consumer returns, the server sees the
    /// connection go, and the client's watch thread and libcurl handle are gone.
    @Test func cancellingAnIdleWatchLeavesNothingBehind() async throws {
        try await withCluster { cluster in
            let client = cluster.client()
            let consumer = Task {
                let stream = try await client.watch(ConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: cluster.resourceVersion))
                for try await _ in stream {}
            }
            try await eventually { cluster.openWatchCount == 1 && client.activeWatchCount == 1 }
            consumer.cancel()
            let outcome = await consumer.result
            if case .failure(let error) = outcome {
                #expect(isError(error) { if case .cancelled = $0 { true } else { false } })
            }
            try await eventually { client.activeWatchCount == 0 }
            try await eventually { cluster.openWatchCount == 0 }
        }
    }

    /// As client-go's `Watch`, the call returns once the server has accepted the watch, and a refusal
    /// is the call's error, not something found later inside the stream.
    @Test func aRefusedWatchThrowsFromTheCallAndAnAcceptedOneReturnsBeforeAnyEvent() async throws {
        try await withCluster { cluster in
            let client = cluster.client()
            cluster.faults.fail(RequestMatch(method: "GET", pathContains: "/configmaps"), code: 503, times: 1)
            await #expect {
                _ = try await client.watch(ConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: cluster.resourceVersion))
            } throws: { isError($0) { if case .serverError(let status, _) = $0 { status.code == 503 } else { false } } }
            #expect(cluster.openWatchCount == 0)
            let stream = try await client.watch(ConfigMap.self, namespace: "default", options: ListOptions(resourceVersion: cluster.resourceVersion))
            #expect(cluster.openWatchCount == 1)
            let consumer = Task { for try await _ in stream {} }
            consumer.cancel()
            _ = await consumer.result
        }
    }

    @Test func informerResumesAfterDropsAndRelistsAfterCompaction() async throws {
        try await withCluster { cluster in
            let client = cluster.client()
            for index in 0..<5 { _ = try await client.create(configMap("pre-\(index)", labels: ["pool": "a"])) }
            let informer = Informer<ConfigMap>(client: client, namespace: "default", backoff: ExponentialBackoff(initial: 0.01, maximum: 0.05))
            let runner = Task { await informer.run() }
            try await informer.waitUntilSynced()
            #expect(informer.list(selector: LabelSelector(matchLabels: ["pool": "a"])).count == 5)

            // Dropped watch: resumed from the last version, no relist, nothing missed.
            try await eventually { cluster.openWatchCount == 1 }
            cluster.dropAllWatches()
            _ = try await client.create(configMap("after-drop"))
            try await eventually { informer.get(namespace: "default", name: "after-drop") != nil }
            #expect(informer.statistics.lists == 1)
            #expect(informer.statistics.watches >= 2)

            // Compacted history while disconnected: every re-watch fails until the fault is cleared,
            // meanwhile objects change and the history is compacted, so the re-watch gets 410 and the
            // informer relists, noticing a deletion it never saw as an event.
            try await eventually { cluster.openWatchCount == 1 }
            let changes = informer.changes()
            try await client.delete(ConfigMap.self, name: "pre-0")
            try await eventually { informer.get(namespace: "default", name: "pre-0") == nil }
            cluster.faults.fail(RequestMatch(method: "GET", pathContains: "/configmaps"), code: 503, times: 1_000_000)
            cluster.dropAllWatches()
            _ = try await client.create(configMap("during-outage"))
            try await client.delete(ConfigMap.self, name: "pre-1")
            cluster.compactHistory()
            cluster.faults.clear()
            try await eventually { informer.get(namespace: "default", name: "during-outage") != nil && informer.get(namespace: "default", name: "pre-1") == nil }
            #expect(informer.statistics.expired >= 1)
            #expect(informer.statistics.lists >= 2)
            var deletions: [String] = []
            for await change in changes {
                if case .deleted(let cm) = change { deletions.append(cm.metadata.name ?? "") }
                if deletions.count == 2 { break }
            }
            #expect(deletions == ["pre-0", "pre-1"])
            runner.cancel()
            await runner.value
            try await eventually { client.activeWatchCount == 0 }
        }
    }
}
