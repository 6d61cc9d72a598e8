import ControllerRuntime
import FleetcastAPI

/// The reconciler's per-pool memory, shared by its workers. The work queue never hands one key to
/// two workers at once, so a pool's memory is read and written by one reconcile at a time.
actor PoolMemoryStore {
    private var memories: [ObjectKey: PoolMemory] = [:]

    /// The pool's memory, or a fresh one when there is none or the spec changed its history layout.
    func memory(for key: ObjectKey, spec: GPUPoolSpec) -> PoolMemory {
        if let memory = memories[key], memory.fits(spec) { return memory }
        return PoolMemory(spec: spec)
    }

    func store(_ memory: PoolMemory, for key: ObjectKey) {
        memories[key] = memory
    }

    func forget(_ key: ObjectKey) {
        memories[key] = nil
    }

    var count: Int { memories.count }
}
