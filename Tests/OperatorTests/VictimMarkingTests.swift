import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// Records every marking call; `podsBound` answers from `landed` (pods the cache has not seen yet).
final class FakeNodeRemoval: NodeRemovalAPI {
    enum Call: Hashable { case cordon(String, Bool), deleteMachine(String, Bool), podsBound(String), scaleDownDisabled(String, Bool) }
    let calls = LockedValue<[Call]>([])
    let landed = LockedValue<[String: [Pod]]>([:])
    /// The pool's nodes as the API server lists them (not recorded in `calls`).
    let apiNodes = LockedValue<[KubeNode]>([])

    func setCordon(_ node: String, marked: Bool, pool: String) async throws(TargetError) {
        calls.withLock { $0.append(.cordon(node, marked)) }
    }

    func setDeleteMachine(_ machine: MachineReference, marked: Bool, apiVersion: String) async throws(TargetError) {
        calls.withLock { $0.append(.deleteMachine(machine.description, marked)) }
    }

    func setScaleDownDisabled(_ node: String, disabled: Bool, pool: String) async throws(TargetError) {
        calls.withLock { $0.append(.scaleDownDisabled(node, disabled)) }
    }

    func podsBound(to node: String) async throws(TargetError) -> [Pod] {
        calls.withLock { $0.append(.podsBound(node)) }
        return landed.value[node] ?? []
    }

    func nodes(selectedBy selector: LabelSelector) async throws(TargetError) -> [KubeNode] {
        apiNodes.value
    }
}

@Suite struct VictimMarkingTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")

    static func machineNode(_ name: String, createdMinutesAgo minutes: Double, now: Date) -> KubeNode {
        var node = gpuNode(name, created: now.addingTimeInterval(-minutes * 60))
        node.metadata.annotations = ["cluster.x-k8s.io/machine": "m-\(name)"]
        return node
    }

    @Test("idle first, oldest first; starting nodes before ready ones; busy and do-not-disrupt nodes never")
    func choosesIdleNodes() {
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        var starting = Self.machineNode("starting", createdMinutesAgo: 1, now: now)
        starting.status?.allocatable = [:]
        let nodes = [Self.machineNode("new", createdMinutesAgo: 5, now: now), Self.machineNode("old", createdMinutesAgo: 50, now: now),
                     Self.machineNode("busy", createdMinutesAgo: 90, now: now), Self.machineNode("guarded", createdMinutesAgo: 80, now: now),
                     starting]
        var guardPod = gpuPod("sidecar", gpus: 0, node: "guarded", namespace: "other")
        guardPod.metadata.annotations = ["fleetcast.dev/do-not-disrupt": "true"]
        var daemon = gpuPod("agent", gpus: 0, node: "old", namespace: "kube-system")
        daemon.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "d", controller: true)]
        let finished = gpuPod("done", gpus: 8, phase: "Succeeded", node: "new")
        let pods = [gpuPod("train", gpus: 8, node: "busy"), guardPod, daemon, finished]
        let choice = ScaleDownVictims.choose(count: 5, nodes: nodes, pods: pods, pool: "gpu/a100", resource: "nvidia.com/gpu")
        #expect(choice.victims == ["starting", "old", "new"])
        #expect(choice.busy == ["busy", "guarded"])
        #expect(ScaleDownVictims.choose(count: 1, nodes: nodes, pods: pods, pool: "gpu/a100", resource: "nvidia.com/gpu").victims == ["starting"])
    }

    /// A pool with a 1-minute stabilization on a Cluster API target at `replicas`, reconciled with a
    /// recording node-removal port.
    static func markingReconciler(replicas: Int) throws -> (ReconcilerHarness, GPUPoolReconciler, FakeNodeRemoval) {
        let harness = ReconcilerHarness()
        let removal = FakeNodeRemoval()
        var reconciler = harness.reconciler()
        reconciler.removal = removal
        try harness.api.put(makePool(stabilization: .minutes(1)))
        harness.api.state.withLock { $0.replicas["a100"] = replicas }
        return (harness, reconciler, removal)
    }

    /// `markingReconciler(replicas: 3)` with three idle nodes in the cache, n1 the oldest.
    static func threeIdleNodes() throws -> (ReconcilerHarness, GPUPoolReconciler, FakeNodeRemoval) {
        let (harness, reconciler, removal) = try markingReconciler(replicas: 3)
        let now = harness.clock.date
        harness.cache.state.withLock {
            $0.nodes = [machineNode("n1", createdMinutesAgo: 30, now: now), machineNode("n2", createdMinutesAgo: 20, now: now),
                        machineNode("n3", createdMinutesAgo: 10, now: now)]
        }
        return (harness, reconciler, removal)
    }

    @Test("a pod that lands on the chosen node before the write: the node is released and replicas stay; next time it goes, after settling")
    func aPodLandingUndoesTheMarking() async throws {
        let (harness, reconciler, removal) = try Self.threeIdleNodes()
        removal.landed.withLock { $0["n1"] = [gpuPod("sneaky", gpus: 8, node: "n1")] }

        _ = try await reconciler.reconcileAndSave(key)
        harness.clock.advance(by: .seconds(120))
        _ = try await reconciler.reconcileAndSave(key)
        #expect(removal.calls.value == [.cordon("n1", true), .podsBound("n1"), .deleteMachine("gpu/m-n1", false), .cordon("n1", false)])
        #expect(harness.api.state.value.replicaWrites.isEmpty)
        let status = try #require(try harness.api.status("a100"))
        #expect(status.condition(.ready)?.reason == "ScaleDownBlockedByBusyNodes")
        #expect(harness.eventReasons.contains("ScaleDownBlockedByBusyNodes"))

        // Empty now: cordoned, and left to settle before its Machine is marked and replicas go down.
        removal.landed.withLock { $0 = [:] }
        removal.calls.withLock { $0 = [] }
        harness.clock.advance(by: .seconds(30))
        _ = try await reconciler.reconcileAndSave(key)
        #expect(removal.calls.value == [.cordon("n1", true), .podsBound("n1")])
        #expect(harness.api.state.value.replicaWrites.isEmpty)

        removal.calls.withLock { $0 = [] }
        harness.clock.advance(by: .seconds(30))
        _ = try await reconciler.reconcileAndSave(key)
        #expect(removal.calls.value == [.cordon("n1", true), .deleteMachine("gpu/m-n1", true), .podsBound("n1")])
        #expect(harness.api.state.value.replicaWrites == [2])
        #expect(harness.sink.writes.contains { write in
            if case .create(let event) = write { return event.reason == "ScaledDown" && event.message.contains("removing node n1") }
            return false
        })
    }

    /// The race a single check cannot close: kube-scheduler chose the node before the cordon and binds the
    /// pod after the check found the node empty (binding is asynchronous; a gang waits at its permit
    /// stage). The node is only cordoned then; the second check, after it settled, finds the pod, and the
    /// node stays: its Machine annotation is taken back and replicas are not lowered.
    @Test("a pod bound after the cordon, while the node settles, keeps the node; replicas stay")
    func aPodBoundWhileSettlingKeepsTheNode() async throws {
        let (harness, reconciler, removal) = try Self.threeIdleNodes()
        _ = try await reconciler.reconcileAndSave(key)
        harness.clock.advance(by: .seconds(120))
        _ = try await reconciler.reconcileAndSave(key)
        #expect(removal.calls.value == [.cordon("n1", true), .podsBound("n1")])

        removal.landed.withLock { $0["n1"] = [gpuPod("late-binding", gpus: 8, node: "n1")] }
        removal.calls.withLock { $0 = [] }
        harness.clock.advance(by: .seconds(30))
        _ = try await reconciler.reconcileAndSave(key)
        #expect(removal.calls.value == [.cordon("n1", true), .deleteMachine("gpu/m-n1", true), .podsBound("n1"),
                                        .deleteMachine("gpu/m-n1", false), .cordon("n1", false)])
        #expect(harness.api.state.value.replicaWrites.isEmpty)
        #expect(harness.eventReasons.contains("ScaleDownBlockedByBusyNodes"))
    }

    /// The MachineSet deletes (Machines − replicas): marked, then unhealthy, then any. A Ready node the
    /// cache has not seen yet is a Machine the operator would not count, so lowering replicas by what
    /// the cache shows would make the MachineSet pick one more, possibly a busy one.
    @Test("a Ready node the cache has not seen keeps replicas up until the cache has it; then the chosen node goes")
    func aNodeTheCacheMissesIsCounted() async throws {
        let (harness, reconciler, removal) = try Self.markingReconciler(replicas: 4)
        let now = harness.clock.date
        let nodes = [Self.machineNode("n1", createdMinutesAgo: 30, now: now), Self.machineNode("n2", createdMinutesAgo: 20, now: now),
                     Self.machineNode("n3", createdMinutesAgo: 10, now: now), Self.machineNode("n4", createdMinutesAgo: 1, now: now)]
        harness.cache.state.withLock { $0.nodes = Array(nodes.prefix(3)) }
        removal.apiNodes.withLock { $0 = nodes }

        _ = try await reconciler.reconcileAndSave(key)
        harness.clock.advance(by: .seconds(120))
        _ = try await reconciler.reconcileAndSave(key)
        #expect(harness.api.state.value.replicaWrites.isEmpty)

        harness.cache.state.withLock { $0.nodes = nodes }
        harness.clock.advance(by: .seconds(30))
        _ = try await reconciler.reconcileAndSave(key)
        #expect(removal.calls.value == [.cordon("n1", true), .podsBound("n1")])
        #expect(harness.api.state.value.replicaWrites.isEmpty)
        removal.calls.withLock { $0 = [] }
        harness.clock.advance(by: .seconds(30))
        _ = try await reconciler.reconcileAndSave(key)
        #expect(removal.calls.value == [.cordon("n1", true), .deleteMachine("gpu/m-n1", true), .podsBound("n1")])
        #expect(harness.api.state.value.replicaWrites == [3])
    }

    @Test("without a removal port (or for other targets) replicas are lowered blind, as before")
    func appliesOnlyToClusterAPITotalNodes() {
        #expect(VictimMarking.applies(to: makePool().spec.withDefaults()))
        #expect(!VictimMarking.applies(to: makePool(semantics: .headroom).spec.withDefaults()))
        var deployment = makePool().spec
        deployment.target = ScaleTargetSpec(apiVersion: "apps/v1", kind: "Deployment", name: "balloon")
        #expect(!VictimMarking.applies(to: deployment.withDefaults()))
    }
}
