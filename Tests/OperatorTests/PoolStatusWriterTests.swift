import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import Logging
import Testing
@testable import Operator

/// The status writer's own rules (the coalescing, flushing and discarding it shares with the history
/// writer are `PoolHistoryWriterTests`'), and the reconcile's use of it.
@Suite struct PoolStatusWriterTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")

    /// What was written, in order.
    final class Writes: Sendable {
        let statuses = LockedValue<[GPUPoolStatus]>([])
    }

    func writer(_ writes: Writes) -> PoolStatusWriter {
        PoolStatusWriter(logger: Logger(label: "test")) { status, _ in writes.statuses.withLock { $0.append(status) } }
    }

    func status(desired: Int) -> GPUPoolStatus {
        GPUPoolStatus(observedGeneration: 3, nodes: NodeCountsStatus(desired: desired))
    }

    /// The cache had not caught up with a write when the next reconcile offered the same status again
    /// (built from the same stored version): not written twice. Built from a newer version (someone
    /// else changed the status since), it is written again.
    @Test func aLaggingCacheDoesNotWriteTheSameStatusTwice() async {
        let writes = Writes()
        let writer = writer(writes)
        await writer.offer(status(desired: 2), key: key, builtFrom: "10")
        await writer.flush()
        await writer.offer(status(desired: 2), key: key, builtFrom: "10")
        await writer.flush()
        #expect(writes.statuses.value == [status(desired: 2)])
        await writer.offer(status(desired: 2), key: key, builtFrom: "12")
        await writer.flush()
        #expect(writes.statuses.value == [status(desired: 2), status(desired: 2)])
        #expect(await writer.writes == 2)
    }

    @Test func theNewestStatusOfferedIsPendingUntilWritten() async {
        let writes = Writes()
        let writer = writer(writes)
        await writer.offer(status(desired: 1), key: key, builtFrom: "10")
        await writer.offer(status(desired: 4), key: key, builtFrom: "10")
        #expect(await writer.pending(key) == status(desired: 4))
        await writer.flush()
        #expect(await writer.pending(key) == nil)
        #expect(writes.statuses.value == [status(desired: 4)], "offers coalesce: only the newest is written")
    }

    /// A reconcile returns before its status is written; the next one builds on that status, so a
    /// condition that changed in the first keeps the first's transition time.
    @Test func aReconcileBuildsOnTheStatusStillBeingWritten() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(mode: .forecastOnly))
        let reconciler = harness.reconciler()

        _ = try await reconciler.reconcile(key)
        #expect(try harness.api.status("a100") == nil, "nothing written yet: the writer is not running")
        let offered = try #require(await harness.statuses.pending(key))
        let firstTransition = try #require(offered.condition(.ready)?.lastTransitionTime)

        harness.clock.advance(by: .seconds(30))
        _ = try await reconciler.reconcile(key)
        await harness.statuses.flush()
        let written = try #require(try harness.api.status("a100"))
        #expect(written.condition(.ready)?.lastTransitionTime == firstTransition)
        #expect(harness.api.state.value.statusWrites == 1, "the two offers coalesced into one write")
    }
}
