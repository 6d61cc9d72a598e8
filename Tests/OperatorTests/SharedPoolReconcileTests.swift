import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// Issue #13 parts C and E in the reconciler: demand across namespaces, and a pool beside
/// cluster-autoscaler (ConflictingAutoscaler, MinimumSize, the warm pool's scale-down-disabled).
@Suite struct SharedPoolReconcileTests {
    static let key = ObjectKey(namespace: "gpu", name: "a100")
    static let bounds = [ClusterAutoscalerAnnotations.minSize: "0", ClusterAutoscalerAnnotations.maxSize: "10"]

    /// A pool whose schedule needs 16 GPUs (2 nodes) now, so every reconcile wants to scale up.
    static func harness(semantics: TargetSemantics? = nil, annotations: [String: String] = [:]) throws -> ReconcilerHarness {
        let harness = ReconcilerHarness()
        var pool = makePool(semantics: semantics)
        pool.spec.schedules = [ScheduleSpec(name: "retrain", cron: "10 * * * *", duration: .minutes(30), gpus: 16)]
        try harness.api.put(pool)
        harness.api.state.withLock {
            $0.replicas["a100"] = 0
            $0.annotations["a100"] = annotations
        }
        return harness
    }

    @Test("TotalNodes on a target cluster-autoscaler scales: Ready=False ConflictingAutoscaler, an event, no write")
    func conflictingAutoscaler() async throws {
        for annotations in [Self.bounds, [ClusterAutoscalerAnnotations.minSize: "3"]] {
            let harness = try Self.harness(annotations: annotations)
            _ = try await harness.reconciler().reconcileAndSave(Self.key)
            #expect(harness.api.state.value.replicaWrites.isEmpty)
            #expect(harness.api.state.value.minimumSizeWrites.isEmpty)
            let status = try #require(try harness.api.status("a100"))
            #expect(status.condition(.ready)?.status == .false)
            #expect(status.condition(.ready)?.reason == "ConflictingAutoscaler")
            #expect(status.condition(.ready)?.message.contains("MinimumSize") == true)
            #expect(status.condition(.scalingActive)?.status == .false)
            #expect(harness.eventReasons.contains("ConflictingAutoscaler"))
        }
        // Without the annotations the same pool writes replicas.
        let plain = try Self.harness()
        _ = try await plain.reconciler().reconcileAndSave(Self.key)
        #expect(plain.api.state.value.replicaWrites == [2])
    }

    @Test("MinimumSize writes the floor (capped at max-size) to the min-size annotation, never replicas")
    func minimumSizeRaisesTheFloor() async throws {
        let harness = try Self.harness(semantics: .minimumSize, annotations: Self.bounds)
        _ = try await harness.reconciler().reconcileAndSave(Self.key)
        #expect(harness.api.state.value.minimumSizeWrites == [2])
        #expect(harness.api.state.value.replicaWrites.isEmpty)
        #expect(harness.api.state.value.replicas["a100"] == 0)
        let status = try #require(try harness.api.status("a100"))
        #expect(status.condition(.ready)?.reason == "Reconciled")
        let scaled = harness.sink.writes.compactMap { if case .create(let event) = $0, event.reason == "ScaledUp" { return event.message } else { return nil } }
        #expect(scaled.first?.contains("minimum size") == true, "\(scaled)")
        // Measured against the floor it set: nothing more to write.
        harness.clock.advance(by: .seconds(30))
        _ = try await harness.reconciler().reconcileAndSave(Self.key)
        #expect(harness.api.state.value.minimumSizeWrites == [2])

        let capped = try Self.harness(semantics: .minimumSize,
                                      annotations: [ClusterAutoscalerAnnotations.minSize: "0", ClusterAutoscalerAnnotations.maxSize: "1"])
        _ = try await capped.reconciler().reconcileAndSave(Self.key)
        #expect(capped.api.state.value.minimumSizeWrites == [1])
    }

    @Test("MinimumSize on a target without cluster-autoscaler's annotations: InvalidSpec with the field path, no write")
    func minimumSizeWithoutAnnotations() async throws {
        for annotations in [[:], [ClusterAutoscalerAnnotations.minSize: "1", ClusterAutoscalerAnnotations.maxSize: "x"]] {
            let harness = try Self.harness(semantics: .minimumSize, annotations: annotations)
            _ = try await harness.reconciler().reconcileAndSave(Self.key)
            #expect(harness.api.state.value.minimumSizeWrites.isEmpty)
            #expect(harness.api.state.value.replicaWrites.isEmpty)
            let ready = try #require(try harness.api.status("a100")?.condition(.ready))
            #expect(ready.status == .false)
            #expect(ready.reason == "InvalidSpec")
            #expect(ready.message.hasPrefix(#"spec.target.semantics: Invalid value: "MinimumSize": MachineDeployment gpu/a100"#), "\(ready.message)")
            #expect(harness.eventReasons.contains("InvalidSpec"))
        }
    }

    @Test("the warm pool's nodes carry scale-down-disabled while they are the warm pool, and lose it when not")
    func warmPoolProtection() async throws {
        let harness = ReconcilerHarness()
        var pool = makePool(semantics: .minimumSize)
        pool.spec.warmPool = WarmPoolSpec(minIdleNodes: 1)
        try harness.api.put(pool)
        harness.api.state.withLock {
            $0.replicas["a100"] = 3
            $0.annotations["a100"] = [ClusterAutoscalerAnnotations.minSize: "3", ClusterAutoscalerAnnotations.maxSize: "10"]
        }
        let now = harness.clock.date
        harness.cache.state.withLock {
            $0.nodes = [gpuNode("old", created: now.addingTimeInterval(-3600)), gpuNode("new", created: now.addingTimeInterval(-600)),
                        gpuNode("busy", created: now.addingTimeInterval(-60))]
            $0.pods = [gpuPod("train", gpus: 8, node: "busy")]
        }
        let removal = FakeNodeRemoval()
        var reconciler = harness.reconciler()
        reconciler.removal = removal
        _ = try await reconciler.reconcileAndSave(Self.key)
        #expect(removal.calls.value == [.scaleDownDisabled("new", true)])

        // "new" now carries the annotations; a pod lands on it, so "old" is the warm pool instead.
        harness.cache.state.withLock { state in
            state.nodes[1].metadata.annotations = [ClusterAutoscalerAnnotations.scaleDownDisabled: "true",
                                                   WarmPoolProtection.markerAnnotation: "gpu/a100"]
            state.pods.append(gpuPod("serve", gpus: 8, node: "new"))
        }
        removal.calls.withLock { $0 = [] }
        harness.clock.advance(by: .seconds(30))
        _ = try await reconciler.reconcileAndSave(Self.key)
        #expect(Set(removal.calls.value) == [.scaleDownDisabled("old", true), .scaleDownDisabled("new", false)])
    }

    @Test("a node someone else disabled scale-down on is never released by the pool")
    func othersAnnotationsStay() {
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        var theirs = gpuNode("theirs", created: now)
        theirs.metadata.annotations = [ClusterAutoscalerAnnotations.scaleDownDisabled: "true"]
        var ours = gpuNode("ours", created: now)
        ours.metadata.annotations = [ClusterAutoscalerAnnotations.scaleDownDisabled: "true", WarmPoolProtection.markerAnnotation: "gpu/a100"]
        let changes = WarmPoolProtection.changes(warmNodes: 0, nodes: [theirs, ours], pods: [], pool: "gpu/a100", resource: "nvidia.com/gpu")
        #expect(changes.protect.isEmpty)
        #expect(changes.release == ["ours"])
    }

    @Test("namespaceSelector: pods of every namespace whose labels match count; absent, only the pool's own")
    func demandAcrossNamespaces() async throws {
        let harness = ReconcilerHarness()
        harness.cache.namespaceLabels.withLock {
            $0 = ["gpu": [:], "team-a": ["fleetcast.dev/gpu-tenant": "true"], "team-b": ["fleetcast.dev/gpu-tenant": "true"], "other": [:]]
        }
        harness.cache.state.withLock {
            $0.pods = [gpuPod("own", gpus: 1, namespace: "gpu"), gpuPod("a", gpus: 2, namespace: "team-a"),
                       gpuPod("b", gpus: 4, namespace: "team-b"), gpuPod("elsewhere", gpus: 8, namespace: "other")]
        }
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        var pool = makePool()
        try harness.api.put(pool)
        _ = try await harness.reconciler().reconcileAndSave(Self.key)
        #expect(try harness.api.status("a100")?.demand?.gpus == 1)

        pool.spec.demand.pods.namespaceSelector = LabelSelector(matchLabels: ["fleetcast.dev/gpu-tenant": "true"])
        try harness.api.put(pool)
        harness.clock.advance(by: .seconds(30))
        _ = try await harness.reconciler().reconcileAndSave(Self.key)
        #expect(try harness.api.status("a100")?.demand?.gpus == 6)

        pool.spec.demand.pods.namespaceSelector = LabelSelector()
        try harness.api.put(pool)
        harness.clock.advance(by: .seconds(30))
        _ = try await harness.reconciler().reconcileAndSave(Self.key)
        #expect(try harness.api.status("a100")?.demand?.gpus == 15)
    }

    @Test("which pod and namespace changes concern a pool with a namespace selector")
    func watchMapping() {
        var pool = PoolSelectors(metadata: ObjectMeta(name: "a100", namespace: "gpu"), podSelector: LabelSelector(matchLabels: ["app": "train"]))
        let pod = gpuPod("a", gpus: 2, namespace: "team-a")
        #expect(!pool.concerns(pod: pod, namespaceLabels: ["tenant": "yes"]))
        pool.namespaceSelector = LabelSelector(matchLabels: ["tenant": "yes"])
        #expect(pool.concerns(pod: pod, namespaceLabels: ["tenant": "yes"]))
        #expect(!pool.concerns(pod: pod, namespaceLabels: [:]))
        #expect(pool.concerns(namespace: KubeNamespace(metadata: ObjectMeta(name: "team-a", labels: ["tenant": "yes"]))))
        #expect(!pool.concerns(namespace: KubeNamespace(metadata: ObjectMeta(name: "team-b"))))
    }
}
