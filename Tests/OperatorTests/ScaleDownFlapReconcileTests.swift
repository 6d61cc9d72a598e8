import Autoscaling
import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import KubeClient
import Testing
@testable import Operator

/// Issue #18's flap, reproduced at the reconciler: when the stabilization window ends the operator
/// lowers the target N→N−1, and a reconcile in the same second (a watch event) used to read the
/// node still being removed, plan "below current" again, restart the window and write N−1→N.
@Suite struct ScaleDownFlapReconcileTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")

    @Test func aReconcileRightAfterAScaleDownDoesNotUndoIt() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(stabilization: .minutes(5)))
        harness.api.state.withLock { $0.replicas["a100"] = 3 }
        let created = harness.clock.date.addingTimeInterval(-3600)
        harness.cache.state.withLock { $0.nodes = (1...3).map { gpuNode("n\($0)", created: created) } }

        // Reconcile through the window until the first scale-down is written.
        for _ in 0..<12 {
            _ = try await harness.reconciler().reconcileAndSave(key)
            if !harness.api.state.value.replicaWrites.isEmpty { break }
            harness.clock.advance(by: .seconds(30))
        }
        #expect(harness.api.state.value.replicaWrites == [2])

        // The same second, as a watch event would trigger it: n3 is still listed (deletion takes
        // minutes on a real cluster). Nothing may be written back up.
        for _ in 0..<3 {
            _ = try await harness.reconciler().reconcileAndSave(key)
            harness.clock.advance(by: .seconds(1))
        }
        #expect(harness.api.state.value.replicaWrites == [2])
        #expect(!harness.eventReasons.contains("ScaledUp"))
        let status = try #require(try harness.api.status("a100"))
        #expect(status.lastScale?.to == 2)
        #expect(status.nodes?.desired == 2)
    }

    /// A pod asking for 2^63−1 GPUs is counted as one node's worth, reported, and the pool keeps
    /// being planned: it neither traps the operator nor drives the pool to its maximum.
    @Test func anAbsurdPodRequestIsCappedAndReported() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(max: 10))
        harness.api.state.withLock { $0.replicas["a100"] = 1 }
        var hostile = gpuPod("hostile", gpus: 0, phase: "Pending")
        hostile.spec?.containers[0].resources?.requests?["nvidia.com/gpu"] = "9223372036854775807"
        var infinite = gpuPod("inf", gpus: 0, phase: "Pending")
        infinite.spec?.containers[0].resources?.requests?["nvidia.com/gpu"] = "1e400"
        harness.cache.state.withLock { $0.pods = [hostile, infinite, gpuPod("ok", gpus: 8, phase: "Pending")] }

        _ = try await harness.reconciler().reconcileAndSave(key)

        let status = try #require(try harness.api.status("a100"))
        #expect(status.demand?.gpus == 24)
        let condition = try #require(status.condition(.demandOutOfRange))
        #expect(condition.status == .true)
        #expect(condition.reason == "PodRequestExceedsNode")
        #expect(condition.message.contains("gpu/hostile and 1 more requests 9.223372036854776e+18 GPUs"), "\(condition.message)")
        #expect(harness.eventReasons.contains("DemandOutOfRange"))
        // 24 GPUs on 8-GPU nodes plus one warm node is far from the maximum of 10.
        #expect(harness.api.state.value.replicaWrites.last.map { $0 < 10 } == true)

        harness.cache.state.withLock { $0.pods = [gpuPod("ok", gpus: 8, phase: "Pending")] }
        _ = try await harness.reconciler().reconcileAndSave(key)
        #expect(try harness.api.status("a100")?.condition(.demandOutOfRange)?.status == .false)
    }
}
