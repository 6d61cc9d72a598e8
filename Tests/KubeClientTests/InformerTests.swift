import Foundation
import KubeAPI
import Synchronization
import Testing
@testable import KubeClient

/// A scripted API: each list and each watch call takes the next scripted answer. A watch is either
/// accepted (the call returns) and then replays events and closes or fails, or stays open until
/// cancelled; or it is refused (the call throws, as an error status does); or it is never answered.
final class ScriptedAPI: KubeReader, KubeWatcher, @unchecked Sendable {
    enum WatchScript {
        case events([WatchEvent<Pod>], then: KubeError?)
        case open
        case refused(KubeError)
        /// The server never answers: the call waits until it is cancelled.
        case unanswered
    }

    private let lock = NSLock()
    private var lists: [Result<ObjectList<Pod>, KubeError>]
    private var watches: [WatchScript]
    private(set) var watchVersions: [String?] = []
    private(set) var listCalls = 0

    init(lists: [Result<ObjectList<Pod>, KubeError>], watches: [WatchScript]) {
        self.lists = lists
        self.watches = watches
    }

    func get<T: Decodable & Sendable>(_ resource: ResourceDescriptor, name: String, namespace: String?, subresource: String?, as type: T.Type) async throws(KubeError) -> T {
        throw .notFound(Status(code: 404))
    }

    func list<T: Decodable & Sendable>(_ resource: ResourceDescriptor, namespace: String?, options: ListOptions, as type: T.Type) async throws(KubeError) -> ObjectList<T> {
        let next: Result<ObjectList<Pod>, KubeError>? = lock.withLock {
            listCalls += 1
            return lists.isEmpty ? nil : lists.removeFirst()
        }
        guard let next, let typed = try next.get() as? ObjectList<T> else { throw .serverError(Status(code: 500), retryAfter: nil) }
        return typed
    }

    func watch<T: Decodable & Sendable>(_ resource: ResourceDescriptor, namespace: String?, options: ListOptions, allowBookmarks: Bool, as type: T.Type) async throws(KubeError) -> WatchStream<T> {
        let script: WatchScript = lock.withLock {
            watchVersions.append(options.resourceVersion)
            return watches.isEmpty ? .open : watches.removeFirst()
        }
        switch script {
        case .refused(let error):
            throw error
        case .unanswered:
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            throw .cancelled
        case .events, .open:
            break
        }
        let (stream, continuation) = AsyncThrowingStream<WatchEvent<T>, any Error>.makeStream()
        switch script {
        case .events(let events, let error):
            for event in events {
                switch event {
                case .added(let p): continuation.yield(.added(p as! T))
                case .modified(let p): continuation.yield(.modified(p as! T))
                case .deleted(let p): continuation.yield(.deleted(p as! T))
                case .bookmark(let rv): continuation.yield(.bookmark(resourceVersion: rv))
                }
            }
            continuation.finish(throwing: error)
        case .open, .refused, .unanswered:
            break
        }
        return WatchStream(events: stream)
    }
}

@Suite struct InformerTests {
    static func list(_ rv: String, _ pods: [Pod]) -> ObjectList<Pod> {
        ObjectList(metadata: ListMeta(resourceVersion: rv), items: pods)
    }

    @Test func listsWatchesResumesAndRelistsOnGone() async throws {
        let api = ScriptedAPI(
            lists: [
                .success(Self.list("10", [pod("a", rv: "5"), pod("b", rv: "10")])),
                .success(Self.list("40", [pod("a", rv: "5"), pod("c", rv: "40")])),
            ],
            watches: [
                // Delivers two events and closes normally: resume from the last version, no relist.
                .events([.modified(pod("a", rv: "11")), .bookmark(resourceVersion: "20")], then: nil),
                // The version is compacted: 410 → relist.
                .events([], then: .gone(Status(reason: "Expired", code: 410))),
                .open,
            ]
        )
        let informer = Informer<Pod>(client: api, backoff: ExponentialBackoff(initial: 0.001, maximum: 0.001))
        let changes = informer.changes()
        let runner = Task { await informer.run() }
        var seen: [String] = []
        for await change in changes {
            switch change {
            case .added(let p): seen.append("+\(p.metadata.name ?? "")@\(p.metadata.resourceVersion ?? "")")
            case .updated(_, let p): seen.append("~\(p.metadata.name ?? "")@\(p.metadata.resourceVersion ?? "")")
            case .deleted(let p): seen.append("-\(p.metadata.name ?? "")")
            }
            if seen.count == 6 { break }
        }
        try await informer.waitUntilSynced()
        #expect(seen == ["+a@5", "+b@10", "~a@11", "-b", "~a@5", "+c@40"])
        #expect(informer.list().map(\.metadata.name) == ["a", "c"])
        #expect(informer.hasSynced)
        try await eventually { api.watchVersions.count >= 3 }
        #expect(api.watchVersions == ["10", "20", "40"])
        #expect(informer.statistics.lists == 2)
        #expect(informer.statistics.expired == 1)
        runner.cancel()
        await runner.value
    }

    @Test func backsOffAndRetriesAFailedList() async throws {
        let api = ScriptedAPI(
            lists: [.failure(.serverError(Status(code: 500), retryAfter: nil)), .success(Self.list("3", [pod("x", rv: "3")]))],
            watches: [.open]
        )
        let informer = Informer<Pod>(client: api, backoff: ExponentialBackoff(initial: 0.001, maximum: 0.001))
        let runner = Task { await informer.run() }
        try await informer.waitUntilSynced()
        #expect(informer.get(namespace: "default", name: "x") != nil)
        #expect(informer.statistics.failures == 1)
        #expect(api.listCalls == 2)
        runner.cancel()
        await runner.value
    }

    /// A stamp per call (1 s, 2 s, …), so a test sees which failure `outOfSyncSince` comes from.
    static func countingClock() -> @Sendable () -> Date {
        let calls = Mutex(0.0)
        return { Date(timeIntervalSince1970: calls.withLock { $0 += 1; return $0 }) }
    }

    @Test func outOfSyncSinceKeepsTheFirstOfConsecutiveFailures() async throws {
        let unavailable = KubeError.serverError(Status(code: 503), retryAfter: nil)
        let api = ScriptedAPI(lists: [.success(Self.list("10", [pod("a", rv: "10")]))],
                              watches: [.refused(unavailable), .refused(unavailable), .refused(unavailable), .unanswered])
        let informer = Informer<Pod>(client: api, backoff: ExponentialBackoff(initial: 0.001, maximum: 0.001), now: Self.countingClock())
        #expect(informer.outOfSyncSince == nil)
        let runner = Task { await informer.run() }
        // The fourth watch is not answered yet: no proof of being in sync.
        try await eventually { api.watchVersions.count == 4 }
        #expect(informer.outOfSyncSince == Date(timeIntervalSince1970: 1))
        #expect(informer.statistics.failures == 3)
        #expect(informer.hasSynced)
        runner.cancel()
        await runner.value
    }

    /// A watch the server accepts from the cached version brings every later change, so the cache is in
    /// sync from that moment: on a quiet resource no event or bookmark may come for a minute, and the
    /// operator's readiness must not report blindness meanwhile.
    @Test func anAcceptedWatchIsInSyncBeforeAnyEvent() async throws {
        let api = ScriptedAPI(lists: [.success(Self.list("10", [pod("a", rv: "10")]))],
                              watches: [.refused(.serverError(Status(code: 503), retryAfter: nil)), .open])
        let informer = Informer<Pod>(client: api, backoff: ExponentialBackoff(initial: 0.001, maximum: 0.001), now: Self.countingClock())
        let runner = Task { await informer.run() }
        try await eventually { api.watchVersions.count == 2 && informer.outOfSyncSince == nil }
        #expect(api.watchVersions == ["10", "10"])
        #expect(informer.statistics.failures == 1)
        #expect(informer.statistics.lists == 1)
        runner.cancel()
        await runner.value
    }

    @Test(arguments: [
        // A delivered event proves the watch works again.
        [ScriptedAPI.WatchScript.refused(.serverError(Status(code: 503), retryAfter: nil)),
         .events([.modified(pod("a", rv: "11"))], then: nil)],
        // A 410 forces a relist, which brings the cache up to date.
        [.refused(.serverError(Status(code: 503), retryAfter: nil)), .events([], then: .gone(Status(reason: "Expired", code: 410)))],
    ])
    func outOfSyncSinceClearsOnRecovery(watches: [ScriptedAPI.WatchScript]) async throws {
        let api = ScriptedAPI(lists: [.success(Self.list("10", [pod("a", rv: "10")])), .success(Self.list("40", [pod("a", rv: "40")]))],
                              watches: watches)
        let informer = Informer<Pod>(client: api, backoff: ExponentialBackoff(initial: 0.001, maximum: 0.001), now: Self.countingClock())
        let runner = Task { await informer.run() }
        try await eventually { api.watchVersions.count >= 3 }
        #expect(informer.outOfSyncSince == nil)
        #expect(informer.statistics.failures == 1)
        runner.cancel()
        await runner.value
    }

    @Test func waitingForSyncEndsWithCancellation() async {
        let api = ScriptedAPI(lists: [], watches: [])
        let informer = Informer<Pod>(client: api)
        let waiter = Task { try await informer.waitUntilSynced() }
        waiter.cancel()
        await #expect(throws: KubeError.self) { try await waiter.value }
    }
}
