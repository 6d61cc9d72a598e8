import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

@Suite struct TargetOwnershipTests {
    /// `name`'s pool scaling MachineDeployment `a100`, created at `created`, selecting `pool`'s nodes.
    static func pool(_ name: String, created: String, nodes pool: String = "a100") -> GPUPool {
        var value = makePool(name: name)
        value.metadata.creationTimestamp = created
        value.spec.target.name = "a100"
        value.spec.nodes.selector = LabelSelector(matchLabels: ["fleetcast.dev/pool": pool])
        return value
    }

    @Test("the older pool keeps the target; the newer reports TargetConflict, records an event and never writes")
    func olderPoolKeepsTheTarget() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(Self.pool("zeta-old", created: "2027-01-01T00:00:00Z", nodes: "old"))
        try harness.api.put(Self.pool("alpha-new", created: "2027-02-01T00:00:00Z", nodes: "new"))
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        let schedule = ScheduleSpec(name: "retrain", cron: "10 * * * *", duration: .minutes(30), gpus: 16)
        for name in ["alpha-new", "zeta-old"] {
            var pool = try #require(try harness.api.stored(name))
            pool.spec.schedules = [schedule]
            try harness.api.put(pool)
        }

        _ = try await harness.reconciler().reconcileAndSave(ObjectKey(namespace: "gpu", name: "alpha-new"))
        #expect(harness.api.state.value.replicaWrites.isEmpty)
        let newer = try #require(try harness.api.status("alpha-new"))
        #expect(newer.condition(.ready)?.status == .false)
        #expect(newer.condition(.ready)?.reason == "TargetConflict")
        #expect(newer.condition(.ready)?.message.contains("gpu/zeta-old") == true)
        #expect(newer.condition(.scalingActive)?.status == .false)
        #expect(harness.eventReasons.contains("TargetConflict"))

        _ = try await harness.reconciler().reconcileAndSave(ObjectKey(namespace: "gpu", name: "zeta-old"))
        #expect(harness.api.state.value.replicaWrites == [2])
        #expect(try harness.api.status("zeta-old")?.condition(.ready)?.reason == "Reconciled")
    }

    @Test("same creation time: the name decides; another API version of the same kind is the same target")
    func tiesAndVersions() {
        var first = TargetOwnership.claim(of: Self.pool("b", created: "2027-01-01T00:00:00Z"))
        var second = TargetOwnership.claim(of: Self.pool("a", created: "2027-01-01T00:00:00Z"))
        #expect(TargetOwnership.owner(of: first, among: [first, second])?.pool == "gpu/a")
        #expect(TargetOwnership.owner(of: second, among: [first, second]) == nil)
        var v1beta1 = Self.pool("c", created: "2026-01-01T00:00:00Z")
        v1beta1.spec.target.apiVersion = "cluster.x-k8s.io/v1beta1"
        #expect(TargetOwnership.owner(of: first, among: [first, TargetOwnership.claim(of: v1beta1)])?.pool == "gpu/c")
        second.target = "apps/Deployment gpu/a100"
        first.namespace = "other"
        #expect(TargetOwnership.owner(of: first, among: [second]) == nil)
    }

    @Test("the target's own namespace decides: pools in two namespaces naming one management-cluster namespace conflict; the same name in two target namespaces does not")
    func targetNamespaceIsCompared() {
        var teamA = Self.pool("a", created: "2027-01-01T00:00:00Z")
        teamA.metadata.namespace = "team-a"
        teamA.spec.target.namespace = "fleet-east"
        var teamB = Self.pool("b", created: "2027-02-01T00:00:00Z")
        teamB.metadata.namespace = "team-b"
        teamB.spec.target.namespace = "fleet-east"
        let claims = [teamA, teamB].map(TargetOwnership.claim(of:))
        #expect(claims[1].target == "cluster.x-k8s.io/MachineDeployment fleet-east/a100")
        #expect(TargetOwnership.owner(of: claims[1], among: claims)?.pool == "team-a/a")

        teamB.spec.target.namespace = "fleet-west"
        #expect(TargetOwnership.owner(of: TargetOwnership.claim(of: teamB), among: [claims[0]]) == nil)
        // A pool in fleet-west without spec.target.namespace names the same object as teamB.
        var local = Self.pool("c", created: "2026-01-01T00:00:00Z")
        local.metadata.namespace = "fleet-west"
        #expect(TargetOwnership.owner(of: TargetOwnership.claim(of: teamB), among: [TargetOwnership.claim(of: local)])?.pool == "fleet-west/c")
    }

    @Test("a standby target is one of the pool's targets: an older pool's target or standby target keeps it, and the pool's own target is not affected")
    func standbyTargetsAreClaimed() {
        func withStandby(_ pool: GPUPool, buffer: String) -> GPUPool {
            var pool = pool
            var warm = pool.spec.warmPool ?? WarmPoolSpec()
            warm.standby = StandbySpec(maxNodes: 2, target: ScaleTargetSpec(apiVersion: "autoscaling.x-k8s.io/v1alpha1", kind: "CapacityBuffer",
                                                                          name: buffer, replicasPath: ".spec.replicas"))
            pool.spec.warmPool = warm
            return pool
        }
        var older = Self.pool("old", created: "2027-01-01T00:00:00Z")
        older.spec.target.name = "old-md"
        let old = TargetOwnership.claim(of: withStandby(older, buffer: "shared"))
        #expect(old.standbyTarget == "autoscaling.x-k8s.io/CapacityBuffer gpu/shared")
        let newer = TargetOwnership.claim(of: withStandby(Self.pool("new", created: "2027-02-01T00:00:00Z"), buffer: "shared"))
        #expect(TargetOwnership.standbyOwner(of: newer, among: [old, newer])?.pool == "gpu/old")
        #expect(TargetOwnership.owner(of: newer, among: [old, newer]) == nil)
        #expect(TargetOwnership.standbyOwner(of: old, among: [old, newer]) == nil)
        // An older pool whose main target is the newer pool's standby target keeps it too.
        var mainTarget = Self.pool("main", created: "2026-01-01T00:00:00Z")
        mainTarget.spec.target = ScaleTargetSpec(apiVersion: "autoscaling.x-k8s.io/v1alpha1", kind: "CapacityBuffer", name: "shared")
        #expect(TargetOwnership.standbyOwner(of: newer, among: [TargetOwnership.claim(of: mainTarget), newer])?.pool == "gpu/main")
        // Without a standby tier there is nothing to own.
        #expect(TargetOwnership.standbyOwner(of: TargetOwnership.claim(of: Self.pool("none", created: "2027-03-01T00:00:00Z")),
                                             among: [old]) == nil)
    }

    @Test("pools whose node selectors select a common node are warned: NodesShared=True naming the other pool")
    func overlappingSelectorsAreWarned() async throws {
        let harness = ReconcilerHarness()
        var other = makePool(name: "other")
        other.metadata.creationTimestamp = "2027-01-01T00:00:00Z"
        other.spec.nodes.selector = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "fleetcast.dev/pool", operator: .exists)])
        try harness.api.put(other)
        try harness.api.put(makePool(name: "a100"))
        harness.api.state.withLock { $0.replicas["a100"] = 1 }
        harness.cache.state.withLock { $0.nodes = [gpuNode("n1", created: Date(timeIntervalSince1970: 0))] }
        _ = try await harness.reconciler().reconcileAndSave(ObjectKey(namespace: "gpu", name: "a100"))
        let shared = try #require(try harness.api.status("a100")?.condition(.nodesShared))
        #expect(shared.status == .true)
        #expect(shared.reason == "NodeSelectorOverlap")
        #expect(shared.message.contains("gpu/other"))
        #expect(harness.eventReasons.contains("NodeSelectorOverlap"))

        harness.cache.state.withLock { $0.nodes = [] }
        _ = try await harness.reconciler().reconcileAndSave(ObjectKey(namespace: "gpu", name: "a100"))
        #expect(try harness.api.status("a100")?.condition(.nodesShared)?.status == .false)
    }
}
