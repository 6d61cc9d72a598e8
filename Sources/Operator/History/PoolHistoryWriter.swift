import ControllerRuntime
import FleetcastAPI
import Foundation
import Logging

/// Saves the pools' demand history and planner state to their ConfigMaps off the reconcile path.
///
/// Every reconcile offers its pool's memory (`offer`, which only stores a reference); the writer saves
/// it when the forecast bin it was taken in has not been saved yet — once per bin and pool, what the
/// reconcile used to do inline — from its own task, one write at a time. Offers coalesce: a pool has
/// at most one snapshot waiting, the newest, so a slow API server delays saves but never builds a
/// backlog, and a reconcile never waits for encoding or a PATCH. A failed write is logged and tried
/// again with the next offer (the pool's next reconcile), as before.
///
/// Durability (docs/operator.md, "Demand history"):
/// - a snapshot offered is saved unless a newer one of the same pool replaces it first;
/// - graceful shutdown: the controller finishes its queue, then every waiting snapshot is saved
///   before the process exits (`finish`, bounded by `flushTimeout`);
/// - leader loss: the same flush, within `flushTimeout` (2 s), inside the 5 s between a leader giving
///   up (renew deadline, 10 s) and anyone else taking the lease (15 s), so two replicas never write one
///   ConfigMap (before, a reconcile cancelled mid-save lost that save);
/// - a crash loses the samples since the pool's last saved bin, as before;
/// - a deleted pool: `discard` drops its waiting snapshot and waits for its write in flight, so its
///   ConfigMap, deleted next, is never re-created by a late write.
actor PoolHistoryWriter {
    /// Which state of a pool a snapshot holds: the bin it was taken in, and how often the pool's
    /// history was replaced wholesale (a backfill) before it.
    struct Mark: Sendable, Hashable {
        var bin: Int
        var epoch: Int
    }

    private struct Snapshot: Sendable {
        var memory: StoredPoolMemory
        var pool: GPUPool
        var mark: Mark
    }

    private let save: @Sendable (StoredPoolMemory, GPUPool) async throws -> Void
    private let logger: Logger
    private var waiting: [ObjectKey: Snapshot] = [:]
    /// Pools with a waiting snapshot, in the order they started waiting.
    private var order: [ObjectKey] = []
    private var saved: [ObjectKey: Mark] = [:]
    private var writing: [ObjectKey: Mark] = [:]
    private var epochs: [ObjectKey: Int] = [:]
    private var idle: [CheckedContinuation<Void, Never>] = []
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// Writes made, and failed, so far (for tests and metrics).
    private(set) var writes = 0
    private(set) var failures = 0

    /// - Parameter save: writes one pool's memory (`GPUPoolAPI.saveMemory`).
    init(logger: Logger, save: @escaping @Sendable (StoredPoolMemory, GPUPool) async throws -> Void) {
        self.save = save
        self.logger = logger
        (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    init(api: any GPUPoolAPI, logger: Logger) {
        self.init(logger: logger) { memory, pool in try await api.saveMemory(memory, of: pool) }
    }

    /// Hands over the pool's memory as of `bin`. Kept (replacing an older waiting one) unless that
    /// bin is already saved or being saved; returns at once.
    func offer(_ memory: StoredPoolMemory, of pool: GPUPool, key: ObjectKey, bin: Int) {
        let mark = Mark(bin: bin, epoch: epochs[key, default: 0])
        guard saved[key] != mark, writing[key] != mark else { return }
        if waiting.updateValue(Snapshot(memory: memory, pool: pool, mark: mark), forKey: key) == nil { order.append(key) }
        wake.yield()
    }

    /// The pool's history was replaced (a backfill): the next offer is saved even within a saved bin.
    func invalidate(_ key: ObjectKey) {
        epochs[key, default: 0] += 1
    }

    /// Forgets a deleted pool: its waiting snapshot is dropped and its write in flight awaited.
    func discard(_ key: ObjectKey) async {
        if waiting.removeValue(forKey: key) != nil { order.removeAll { $0 == key } }
        while writing[key] != nil { await untilIdle() }
        saved[key] = nil
        epochs[key] = nil
    }

    /// Saves what is waiting as offers arrive, until the task is cancelled or `close` is called.
    func run() async {
        for await _ in wakes { await drain() }
    }

    /// Saves everything waiting now and returns once no write is in flight.
    func flush() async {
        await drain()
        while !writing.isEmpty || !waiting.isEmpty {
            await untilIdle()
            await drain()
        }
    }

    /// Ends `run` once what is waiting is saved.
    func close() {
        wake.finish()
    }

    /// Saves what is waiting from a task that does not inherit the caller's cancellation (leader loss
    /// cancels the controller, and a cancelled request is never sent), giving up after `timeout` on
    /// `clock` when the API server does not answer. Returns whether everything was saved.
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
        if !flushed { logger.warning("Gave up saving demand history on stop", metadata: ["timeout": "\(timeout)"]) }
        return flushed
    }

    private func drain() async {
        while let (key, snapshot) = nextWaiting() {
            writing[key] = snapshot.mark
            do {
                try await save(snapshot.memory, snapshot.pool)
                saved[key] = snapshot.mark
                writes += 1
            } catch {
                failures += 1
                logger.warning("Could not save demand history", metadata: ["pool": "\(key)", "error": "\(error)"])
            }
            writing[key] = nil
            if writing.isEmpty {
                let resumed = idle
                idle = []
                for continuation in resumed { continuation.resume() }
            }
        }
    }

    /// The snapshot that has waited longest among pools with no write in flight.
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
