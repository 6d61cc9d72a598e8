import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Forecasting
import Foundation
import Logging
import Testing
@testable import Operator

/// The history writer that saves pools' memory off the reconcile path: once per bin, coalescing,
/// retried with the next offer, flushed on stop even from a cancelled task, and never writing a
/// deleted pool's ConfigMap after it is discarded.
@Suite struct PoolHistoryWriterTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")

    /// Records what was saved; `holdFirst` keeps the first write in flight until `release()`.
    final class Store: Sendable {
        struct State {
            var saved: [Double] = []
            var failNext = 0
            var held: CheckedContinuation<Void, Never>?
            var holding = false
            var released = false
        }

        let state = LockedValue(State())

        init(holdFirst: Bool = false) {
            state.withLock { $0.holding = holdFirst }
        }

        func save(_ memory: StoredPoolMemory) async throws {
            let hold = state.withLock { state -> Bool in
                defer { state.holding = false }
                return state.holding
            }
            if hold {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.released { return true }
                        state.held = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            let fails = state.withLock { state -> Bool in
                guard state.failNext > 0 else { return false }
                state.failNext -= 1
                return true
            }
            if fails { throw TargetError.failed("API server unavailable") }
            state.withLock { $0.saved.append(memory.history?.bins.compactMap { $0?.peak }.last ?? -1) }
        }

        var isHolding: Bool { state.value.held != nil }

        func release() {
            state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.released = true
                defer { state.held = nil }
                return state.held
            }?.resume()
        }

        var saved: [Double] { state.value.saved }
    }

    func writer(_ store: Store) -> PoolHistoryWriter {
        PoolHistoryWriter(logger: Logger(label: "test")) { memory, _ in try await store.save(memory) }
    }

    /// A memory whose history's last bin peaked at `gpus`.
    func memory(_ gpus: Double) -> StoredPoolMemory {
        var history = DemandHistory(step: 300, retention: 3600)
        history.record(gpus: gpus, at: Date(timeIntervalSince1970: 0))
        return StoredPoolMemory(history: history, plannerState: nil)
    }

    func pool() -> GPUPool { makePool(min: 1) }

    @Test func savesOncePerBinAndTheNewestSnapshot() async throws {
        let store = Store()
        let writer = writer(store)
        for gpus in [1.0, 2, 3] { await writer.offer(memory(gpus), of: pool(), key: key, bin: 7) }
        await writer.flush()
        await writer.offer(memory(4), of: pool(), key: key, bin: 7)
        await writer.flush()
        #expect(store.saved == [3])
        await writer.offer(memory(5), of: pool(), key: key, bin: 8)
        await writer.flush()
        #expect(store.saved == [3, 5])
        #expect(await writer.writes == 2)
    }

    /// While one write is in flight, newer offers replace each other: one more write, the newest.
    @Test func offersCoalesceWhileAWriteIsInFlight() async throws {
        let store = Store(holdFirst: true)
        let writer = writer(store)
        await writer.offer(memory(1), of: pool(), key: key, bin: 1)
        let flushing = Task { await writer.flush() }
        try await eventually("the first write is in flight") { store.isHolding }
        for (gpus, bin) in [(2.0, 2), (3, 3), (4, 4)] { await writer.offer(memory(gpus), of: pool(), key: key, bin: bin) }
        store.release()
        await flushing.value
        #expect(store.saved == [1, 4])
    }

    /// A failed write is logged; the next offer of the same bin (the next reconcile) tries again.
    @Test func aFailedWriteIsRetriedWithTheNextOffer() async throws {
        let store = Store()
        store.state.withLock { $0.failNext = 1 }
        let writer = writer(store)
        await writer.offer(memory(1), of: pool(), key: key, bin: 1)
        await writer.flush()
        #expect(store.saved.isEmpty)
        #expect(await writer.failures == 1)
        await writer.offer(memory(2), of: pool(), key: key, bin: 1)
        await writer.flush()
        #expect(store.saved == [2])
    }

    /// A backfill replaces the history within a bin already saved: it is saved again at once.
    @Test func anInvalidatedPoolIsSavedAgainWithinASavedBin() async throws {
        let store = Store()
        let writer = writer(store)
        await writer.offer(memory(1), of: pool(), key: key, bin: 1)
        await writer.flush()
        await writer.invalidate(key)
        await writer.offer(memory(9), of: pool(), key: key, bin: 1)
        await writer.flush()
        #expect(store.saved == [1, 9])
    }

    /// A deleted pool: its waiting snapshot is dropped and `discard` returns only after the write in
    /// flight, so the ConfigMap the reconciler deletes next is not written again afterwards.
    @Test func discardDropsWhatWaitsAndWaitsForTheWriteInFlight() async throws {
        let store = Store(holdFirst: true)
        let writer = writer(store)
        await writer.offer(memory(1), of: pool(), key: key, bin: 1)
        let flushing = Task { await writer.flush() }
        try await eventually("the first write is in flight") { store.isHolding }
        await writer.offer(memory(2), of: pool(), key: key, bin: 2)
        let discarded = LockedValue(false)
        let discarding = Task {
            await writer.discard(key)
            discarded.withLock { $0 = true }
        }
        // Gives the discard every chance to return early (it must not: the write is still in flight).
        for _ in 0..<50 { await Task.yield() }
        #expect(!discarded.value)
        store.release()
        await discarding.value
        await flushing.value
        #expect(store.saved == [1])
        // Forgotten: a pool re-created under the same name saves its first bin again.
        await writer.offer(memory(3), of: pool(), key: key, bin: 1)
        await writer.flush()
        #expect(store.saved == [1, 3])
    }

    /// Leader loss cancels the controller; what it offered last is still saved, from a task that does
    /// not inherit the cancellation.
    @Test func finishSavesWhatWaitsEvenWhenTheCallerIsCancelled() async throws {
        let store = Store()
        let writer = writer(store)
        let pool = pool()
        let stopping = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await writer.offer(memory(6), of: pool, key: key, bin: 1)
            return (Task.isCancelled, await writer.finish(within: .seconds(30), clock: ContinuousClock()))
        }
        let (wasCancelled, finished) = await stopping.value
        #expect(wasCancelled)
        #expect(finished)
        #expect(store.saved == [6])
    }

    /// The background loop saves without a flush, and `close` ends it.
    @Test func runSavesInTheBackgroundUntilClosed() async throws {
        let store = Store()
        let writer = writer(store)
        let running = Task { await writer.run() }
        await writer.offer(memory(5), of: pool(), key: key, bin: 1)
        try await eventually("the loop saves the offer") { store.saved == [5] }
        await writer.close()
        await running.value
    }
}
