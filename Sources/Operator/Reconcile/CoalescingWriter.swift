import ControllerRuntime
import Logging

/// Writes each pool's newest value from a task of its own, so a reconcile hands a write over and
/// returns instead of waiting for encoding and an API round trip. The pools' history
/// (`PoolHistoryWriter`) and their status (`PoolStatusWriter`) go through it.
///
/// - Offers coalesce: a pool has at most one value waiting, the newest, so a slow API server delays
///   writes but never builds a backlog, and at most one write per pool is in flight.
/// - A value is written unless its `Mark` is the one last written, or being written, for that pool
///   (the history's mark is its bin, so it is saved once per bin; the status's is the status and the
///   stored version it was built from, so a stale cache does not write the same status twice).
/// - A failed write is logged and counted, not retried: the pool's next reconcile offers again (level
///   based, as the write inline was).
/// - `finish` writes what is waiting when the controller stops (graceful shutdown, leader loss) from a
///   task the caller's cancellation does not reach, within a bound.
actor CoalescingWriter<Payload: Sendable, Mark: Hashable & Sendable> {
    private struct Stamp: Sendable, Hashable {
        var mark: Mark
        /// How often the pool's value was invalidated (`invalidate`) before it was offered.
        var epoch: Int
    }

    private struct Snapshot: Sendable {
        var payload: Payload
        var stamp: Stamp
    }

    /// What is written, for the log ("demand history", "status").
    private let what: String
    private let save: @Sendable (Payload, ObjectKey) async throws -> Void
    private let logger: Logger
    private var waiting: [ObjectKey: Snapshot] = [:]
    /// Pools with a waiting value, in the order they started waiting.
    private var order: [ObjectKey] = []
    private var saved: [ObjectKey: Stamp] = [:]
    private var writing: [ObjectKey: Snapshot] = [:]
    private var epochs: [ObjectKey: Int] = [:]
    private var idle: [CheckedContinuation<Void, Never>] = []
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// Writes made, and failed, so far (for tests and metrics).
    private(set) var writes = 0
    private(set) var failures = 0

    /// - Parameter save: writes one pool's value.
    init(what: String, logger: Logger, save: @escaping @Sendable (Payload, ObjectKey) async throws -> Void) {
        self.what = what
        self.save = save
        self.logger = logger
        (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Hands over the pool's value as of `mark`. Kept (replacing an older waiting one) unless that
    /// mark is already written or being written; returns at once.
    func offer(_ payload: Payload, key: ObjectKey, mark: Mark) {
        let stamp = Stamp(mark: mark, epoch: epochs[key, default: 0])
        guard saved[key] != stamp, writing[key]?.stamp != stamp else { return }
        if waiting.updateValue(Snapshot(payload: payload, stamp: stamp), forKey: key) == nil { order.append(key) }
        wake.yield()
    }

    /// The newest value offered for the pool that is not written yet (waiting or in flight); nil when
    /// everything offered is written, or failed.
    func pending(_ key: ObjectKey) -> Payload? {
        (waiting[key] ?? writing[key])?.payload
    }

    /// The pool's value was replaced behind the marks' back (a backfill): the next offer is written
    /// even under a mark already written.
    func invalidate(_ key: ObjectKey) {
        epochs[key, default: 0] += 1
    }

    /// Forgets a deleted pool: its waiting value is dropped and its write in flight awaited.
    func discard(_ key: ObjectKey) async {
        if waiting.removeValue(forKey: key) != nil { order.removeAll { $0 == key } }
        while writing[key] != nil { await untilIdle() }
        saved[key] = nil
        epochs[key] = nil
    }

    /// Writes what is waiting as offers arrive, until the task is cancelled or `close` is called.
    func run() async {
        for await _ in wakes { await drain() }
    }

    /// Writes everything waiting now and returns once no write is in flight.
    func flush() async {
        await drain()
        while !writing.isEmpty || !waiting.isEmpty {
            await untilIdle()
            await drain()
        }
    }

    /// Ends `run` once what is waiting is written.
    func close() {
        wake.finish()
    }

    /// Writes what is waiting from a task that does not inherit the caller's cancellation (leader loss
    /// cancels the controller, and a cancelled request is never sent), giving up after `timeout` on
    /// `clock` when the API server does not answer. Returns whether everything was written.
    nonisolated func finish<C: Clock<Duration>>(within timeout: Duration, clock: C) async -> Bool {
        let flushing = Task {
            let deadline = clock.now.advanced(by: timeout)
            return await withTaskGroup(of: Bool.self) { group in
                group.addTask { await self.flush(); return true }
                group.addTask { try? await clock.sleep(until: deadline, tolerance: nil); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        }
        let flushed = await flushing.value
        if !flushed { logger.warning("Gave up saving \(what) on stop", metadata: ["timeout": "\(timeout)"]) }
        return flushed
    }

    private func drain() async {
        while let (key, snapshot) = nextWaiting() {
            writing[key] = snapshot
            do {
                try await save(snapshot.payload, key)
                saved[key] = snapshot.stamp
                writes += 1
            } catch {
                failures += 1
                logger.warning("Could not save \(what)", metadata: ["pool": "\(key)", "error": "\(error)"])
            }
            writing[key] = nil
            if writing.isEmpty {
                let resumed = idle
                idle = []
                for continuation in resumed { continuation.resume() }
            }
        }
    }

    /// The value that has waited longest among pools with no write in flight.
    private func nextWaiting() -> (ObjectKey, Snapshot)? {
        guard let position = order.firstIndex(where: { writing[$0] == nil }) else { return nil }
        let key = order.remove(at: position)
        guard let snapshot = waiting.removeValue(forKey: key) else { return nil }
        return (key, snapshot)
    }

    private func untilIdle() async {
        guard !writing.isEmpty else { return }
        await withCheckedContinuation { idle.append($0) }
    }
}
