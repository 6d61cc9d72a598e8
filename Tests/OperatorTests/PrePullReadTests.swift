import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import Testing
@testable import Operator

/// How often a reconcile reads the pool's pre-pull DaemonSet: every few minutes while images are wanted
/// (one deleted or edited by hand is put back), once for a pool that wants none.
@Suite struct PrePullReadTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")

    /// Reconciles once a minute for 11 minutes; returns the DaemonSet reads and the changes written.
    func readsOverElevenMinutes(images: [String]?) async throws -> (reads: Int, writes: [PrePullDaemonSet.Change]) {
        let harness = ReconcilerHarness()
        var pool = makePool()
        pool.spec.warmPool = WarmPoolSpec(prePull: images.map { PrePullSpec(images: $0) })
        try harness.api.put(pool)
        harness.api.state.withLock { $0.replicas["a100"] = 1 }
        let reconciler = harness.reconciler()
        for _ in 0...11 {
            _ = try await reconciler.reconcileAndSave(key)
            harness.clock.advance(by: .seconds(60))
        }
        let state = harness.api.state.value
        return (state.daemonSetReads, state.daemonSetWrites)
    }

    @Test func aPoolWithImagesRereadsItsDaemonSetEveryFiveMinutes() async throws {
        let (reads, writes) = try await readsOverElevenMinutes(images: ["registry.example/llm-server:1.2"])
        // At 0, 5 and 10 minutes (the recheck interval is 300 s); created once.
        #expect(reads == 3)
        #expect(writes.count == 1)
        if case .create = writes.first {} else { Issue.record("expected a create, got \(writes)") }
    }

    @Test func aPoolWithoutImagesReadsItOnce() async throws {
        let (reads, writes) = try await readsOverElevenMinutes(images: nil)
        #expect(reads == 1)
        #expect(writes.isEmpty)
    }
}
