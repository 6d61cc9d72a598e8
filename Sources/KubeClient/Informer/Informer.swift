import Foundation
import KubeAPI

/// Keeps a local, indexed copy of one resource (optionally one namespace and selector) up to date:
/// list, then watch from the list's resourceVersion; re-watch from the last seen version when a watch
/// ends; relist when the server says that version is gone (410); back off on other errors. Consumers
/// read the cache, subscribe to changes, and wait for the first sync. This is what controllers build on.
public final class Informer<Object: KubernetesResource>: Sendable {
    public let namespace: String?
    public let options: ListOptions
    private let client: any KubeReader & KubeWatcher
    private let backoff: ExponentialBackoff
    private let pageSize: Int
    private let now: @Sendable () -> Date
    private let state = LockedState()

    /// - Parameters:
    ///   - namespace: one namespace, or nil for all.
    ///   - options: label and field selectors; versions and limits are managed by the informer.
    ///   - pageSize: list page size (the client follows `continue` tokens).
    ///   - now: stamps `outOfSyncSince`; injected so a test's clock decides how long the cache was blind.
    ///   - indexers: extra indexes of the cache by name (`list(index:values:)`).
    public init(client: any KubeReader & KubeWatcher, namespace: String? = nil, options: ListOptions = ListOptions(),
                backoff: ExponentialBackoff = .reflector, pageSize: Int = 500, now: @escaping @Sendable () -> Date = { Date() },
                indexers: [String: InformerCache<Object>.IndexFunction] = [:]) {
        self.client = client
        self.namespace = namespace
        self.options = options
        self.backoff = backoff
        self.pageSize = pageSize
        self.now = now
        state.withLock { $0.cache = InformerCache(indexers: indexers) }
    }

    // MARK: Reading

    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// Since when listing or watching has been failing (a 410, a 503, a refused connection…) without
    /// a successful list, an accepted watch or a delivered event since; nil while the cache follows the
    /// server. A quiet watch is not a failure, and neither is a server ending a watch: the cache resumes
    /// from its resourceVersion. Controllers use it to stop trusting a cache that has been blind too long.
    public var outOfSyncSince: Date? { state.withLock { $0.outOfSyncSince } }

    /// The resourceVersion the cache reflects.
    public var lastResourceVersion: String? { state.withLock { $0.resourceVersion } }

    public func get(namespace: String?, name: String) -> Object? {
        state.withLock { $0.cache.get(namespace: namespace, name: name) }
    }

    public func list(namespace: String? = nil, selector: LabelSelector? = nil) -> [Object] {
        state.withLock { $0.cache.list(namespace: namespace, selector: selector) }
    }

    /// Objects filed under any of `values` in one of the `indexers` given at init, in key order.
    public func list(index: String, values: some Sequence<String>) -> [Object] {
        state.withLock { $0.cache.list(index: index, values: values) }
    }

    /// A consistent copy of the whole cache.
    public func snapshot() -> InformerCache<Object> {
        state.withLock { $0.cache }
    }

    /// Counters for tests and metrics: lists done, watches opened, failures seen.
    public var statistics: InformerStatistics { state.withLock { $0.statistics } }

    /// Returns once the first list has been stored (immediately if it has), or throws `.cancelled`.
    public func waitUntilSynced() async throws(KubeError) {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.synced || Task.isCancelled { return true }
                    state.syncWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.syncWaiters.removeValue(forKey: id) }?.resume()
        }
        if !hasSynced { throw .cancelled }
    }

    /// Every change from now on, starting with an `.added` for each object already cached, so a
    /// subscriber never misses state. Ends when the consumer stops iterating.
    public func changes() -> AsyncStream<InformerChange<Object>> {
        let (stream, continuation) = AsyncStream<InformerChange<Object>>.makeStream()
        let id = UUID()
        state.withLock { state in
            for object in state.cache.list() { continuation.yield(.added(object)) }
            state.subscribers[id] = continuation
        }
        continuation.onTermination = { [state] _ in
            state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    // MARK: Running

    /// Lists and watches until the calling task is cancelled.
    public func run() async {
        var failures = 0
        var needsList = true
        while !Task.isCancelled {
            do {
                if needsList {
                    try await relist()
                    needsList = false
                }
                let delivered = try await watchOnce()
                // A watch that ends at once without news is a failure, or a flapping server would spin us.
                if delivered == 0 { failures += 1 } else { failures = 0 }
                if failures > 0 { try await pause(failures) }
            } catch KubeError.cancelled {
                break
            } catch KubeError.gone {
                let now = now()
                state.withLock {
                    $0.statistics.expired += 1
                    $0.outOfSyncSince = $0.outOfSyncSince ?? now
                }
                needsList = true
            } catch {
                failures += 1
                let now = now()
                state.withLock {
                    $0.statistics.failures += 1
                    $0.lastError = error
                    $0.outOfSyncSince = $0.outOfSyncSince ?? now
                }
                do { try await pause(failures) } catch { break }
            }
        }
        // Finish outside the lock: finishing runs each stream's onTermination, which takes the lock.
        let subscribers = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// The last error a list or watch ended with, for status reporting.
    public var lastError: KubeError? { state.withLock { $0.lastError } }

    private func pause(_ failures: Int) async throws(KubeError) {
        let delay = backoff.delay(attempt: failures, random: Double.random(in: 0..<1))
        do {
            try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
        } catch {
            throw .cancelled
        }
    }

    private func relist() async throws(KubeError) {
        var listOptions = options
        listOptions.limit = pageSize
        listOptions.resourceVersion = nil
        let list = try await client.list(Object.descriptor, namespace: namespace, options: listOptions, as: Object.self)
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            let changes = state.cache.replace(with: list.items)
            state.resourceVersion = list.metadata.resourceVersion
            state.statistics.lists += 1
            state.publish(changes)
            state.synced = true
            state.outOfSyncSince = nil
            let waiters = Array(state.syncWaiters.values)
            state.syncWaiters.removeAll()
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Watches from the cached version until the stream ends; returns how many events arrived.
    private func watchOnce() async throws(KubeError) -> Int {
        var watchOptions = options
        watchOptions.limit = nil
        watchOptions.resourceVersion = lastResourceVersion
        watchOptions.timeoutSeconds = Int.random(in: 300...600)
        state.withLock { $0.statistics.watches += 1 }
        let stream = try await client.watch(Object.descriptor, namespace: namespace, options: watchOptions, allowBookmarks: true, as: Object.self)
        // The server took a watch from the cached version: every change since reaches the cache through
        // it, so the cache is in sync again now, not only when the next event or bookmark comes (on a
        // quiet resource that can be a minute away, and readiness would report blindness meanwhile).
        state.withLock { $0.outOfSyncSince = nil }
        var delivered = 0
        do {
            for try await event in stream {
                delivered += 1
                state.withLock { state in
                    state.outOfSyncSince = nil
                    switch event {
                    case .bookmark(let rv):
                        if !rv.isEmpty { state.resourceVersion = rv }
                    case .added(let object), .modified(let object), .deleted(let object):
                        if let change = state.cache.apply(event) { state.publish([change]) }
                        if let rv = object.metadata.resourceVersion { state.resourceVersion = rv }
                    }
                }
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw .decoding("\(error)")
        }
        return delivered
    }

    /// Mutable informer state behind one lock.
    final class LockedState: @unchecked Sendable {
        struct Contents {
            var cache = InformerCache<Object>()
            var resourceVersion: String?
            var synced = false
            var outOfSyncSince: Date?
            var syncWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
            var subscribers: [UUID: AsyncStream<InformerChange<Object>>.Continuation] = [:]
            var statistics = InformerStatistics()
            var lastError: KubeError?

            func publish(_ changes: [InformerChange<Object>]) {
                for change in changes {
                    for subscriber in subscribers.values { subscriber.yield(change) }
                }
            }
        }

        private let lock = NSLock()
        private var contents = Contents()

        func withLock<T>(_ body: (inout Contents) throws -> T) rethrows -> T {
            lock.lock()
            defer { lock.unlock() }
            return try body(&contents)
        }
    }
}

/// How often an informer had to list, watch and recover.
public struct InformerStatistics: Sendable, Hashable {
    public var lists = 0
    public var watches = 0
    /// 410 Gone/Expired answers (each causes a relist).
    public var expired = 0
    public var failures = 0
}
