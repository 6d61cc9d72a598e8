import ControllerRuntime
import Forecasting
import PoolPolicy

/// The reconciler's per-pool memory, shared by its workers. The work queue never hands one key to
/// two workers at once, so a pool's memory is read and written by one reconcile at a time.
actor PoolMemoryStore {
    private var memories: [ObjectKey: PoolMemory] = [:]

    /// The pool's memory brought up to `settings` (an edited spec keeps its history while the bin
    /// size stays the same), or a fresh one on first sight.
    func memory(for key: ObjectKey, settings: DecisionSettings) -> PoolMemory {
        guard var memory = memories[key] else { return PoolMemory(settings: settings) }
        memory.loop.adopt(settings)
        return memory
    }

    func store(_ memory: PoolMemory, for key: ObjectKey) {
        memories[key] = memory
    }

    /// The pool's demand history as this process holds it (nil before its first reconcile).
    func history(for key: ObjectKey) -> DemandHistory? {
        memories[key]?.history
    }

    func forget(_ key: ObjectKey) {
        memories[key] = nil
    }

    var count: Int { memories.count }
}
