import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// Deleting a GPUPool hands its nodes back: the warm pool's scale-down-disabled and the victims'
/// cordons and delete-machine marks are released, except while a scale-down is in flight.
@Suite struct PoolDeletionReconcileTests {
    static let key = ObjectKey(namespace: "gpu", name: "a100")

    /// A harness with `pool` stored (with a resourceVersion, as the informer's always have), three
    /// nodes, and a reconciler with a recording node-removal port; the pool has been reconciled once.
    static func reconciled(_ pool: GPUPool, replicas: Int, annotations: [String: String] = [:])
        async throws -> (ReconcilerHarness, GPUPoolReconciler, FakeNodeRemoval) {
        var pool = pool
        pool.metadata.resourceVersion = "7"
        let harness = ReconcilerHarness()
        try harness.api.put(pool)
        harness.api.state.withLock {
            $0.replicas["a100"] = replicas
            $0.annotations["a100"] = annotations
        }
        let now = harness.clock.date
        harness.cache.state.withLock {
            $0.nodes = ["old": -3600.0, "new": -600, "busy": -60].sorted { $0.key < $1.key }.map { name, age in
                var node = gpuNode(name, created: now.addingTimeInterval(age))
                node.metadata.annotations = ["cluster.x-k8s.io/machine": "m-\(name)"]
                return node
            }
            $0.pods = [gpuPod("train", gpus: 8, node: "busy")]
        }
        let removal = FakeNodeRemoval()
        var reconciler = harness.reconciler()
        reconciler.removal = removal
        _ = try await reconciler.reconcileAndSave(key)
        removal.calls.withLock { $0 = [] }
        return (harness, reconciler, removal)
    }

    /// Marks `node` in the cache as the pool's operator would have written it.
    static func annotate(_ harness: ReconcilerHarness, _ node: String, _ annotations: [String: String], cordoned: Bool = false) {
        harness.cache.state.withLock { state in
            guard let index = state.nodes.firstIndex(where: { $0.metadata.name == node }) else { return }
            state.nodes[index].metadata.annotations?.merge(annotations) { $1 }
            if cordoned { state.nodes[index].spec = NodeSpec(unschedulable: true) }
        }
    }

    @Test("the warm pool's scale-down-disabled is removed when the pool is deleted; others' stay")
    func warmPoolMarksAreReleased() async throws {
        var pool = makePool(semantics: .minimumSize)
        pool.spec.warmPool = WarmPoolSpec(minIdleNodes: 1)
        let (harness, reconciler, removal) = try await Self.reconciled(
            pool, replicas: 3, annotations: [ClusterAutoscalerAnnotations.minSize: "3", ClusterAutoscalerAnnotations.maxSize: "10"])
        Self.annotate(harness, "new", [ClusterAutoscalerAnnotations.scaleDownDisabled: "true", WarmPoolProtection.markerAnnotation: "gpu/a100"])
        Self.annotate(harness, "old", [ClusterAutoscalerAnnotations.scaleDownDisabled: "true", WarmPoolProtection.markerAnnotation: "gpu/other"])
        harness.api.state.withLock { _ = $0.pools.removeValue(forKey: "a100") }

        #expect(try await reconciler.reconcileAndSave(Self.key) == .done)
        #expect(removal.calls.value == [.scaleDownDisabled("new", false)])
        // Released once: the spec is forgotten with the pool.
        removal.calls.withLock { $0 = [] }
        _ = try await reconciler.reconcileAndSave(Self.key)
        #expect(removal.calls.value.isEmpty)
    }

    @Test("a victim's cordon and delete-machine are released when no scale-down is in flight, kept when one is",
          arguments: [(3, true), (2, false)])
    func victimMarksAreReleasedUnlessAScaleDownIsInFlight(replicas: Int, released: Bool) async throws {
        let (harness, reconciler, removal) = try await Self.reconciled(makePool(), replicas: 3)
        Self.annotate(harness, "old", [ScaleDownVictims.markerAnnotation: "gpu/a100"], cordoned: true)
        harness.api.state.withLock {
            _ = $0.pools.removeValue(forKey: "a100")
            $0.replicas["a100"] = replicas
        }

        #expect(try await reconciler.reconcileAndSave(Self.key) == .done)
        #expect(removal.calls.value == (released ? [.deleteMachine("gpu/m-old", false), .cordon("old", false)] : []))
    }
}
