import ControllerRuntime
import FleetcastAPI
import Foundation
import Logging

/// What the history writer saves for a pool: its memory, and the pool it belongs to (the ConfigMap
/// is named and annotated after it).
struct PoolHistorySnapshot: Sendable {
    var memory: StoredPoolMemory
    var pool: GPUPool
}

/// Saves the pools' demand history and planner state to their ConfigMaps off the reconcile path.
///
/// Every reconcile offers its pool's memory (`offer`, which only stores a reference); the writer saves
/// it when the forecast bin it was taken in has not been saved yet — once per bin and pool, what the
/// reconcile used to do inline — from its own task, one write at a time (`CoalescingWriter`: offers
/// coalesce, a failed write is tried again with the next offer, the pool's next reconcile).
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
/// - a backfill replaces the history: `invalidate` has the next offer saved even within a saved bin.
typealias PoolHistoryWriter = CoalescingWriter<PoolHistorySnapshot, Int>

extension CoalescingWriter where Payload == PoolHistorySnapshot, Mark == Int {
    /// - Parameter save: writes one pool's memory (`GPUPoolAPI.saveMemory`).
    init(logger: Logger, save: @escaping @Sendable (StoredPoolMemory, GPUPool) async throws -> Void) {
        self.init(what: "demand history", logger: logger) { snapshot, _ in try await save(snapshot.memory, snapshot.pool) }
    }

    init(api: any GPUPoolAPI, logger: Logger) {
        self.init(logger: logger) { memory, pool in try await api.saveMemory(memory, of: pool) }
    }

    /// Hands over the pool's memory as of `bin`. Kept (replacing an older waiting one) unless that
    /// bin is already saved or being saved; returns at once.
    func offer(_ memory: StoredPoolMemory, of pool: GPUPool, key: ObjectKey, bin: Int) {
        offer(PoolHistorySnapshot(memory: memory, pool: pool), key: key, mark: bin)
    }
}
