import Foundation
import KubeAPI
import Testing
@testable import VirtualInfrastructure

@Suite("Machine deletion as Cluster API does it")
struct MachineDeletionTests {
    static let machinesPath = "/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machines"

    /// Three machines created a minute apart (so Oldest and Newest are well defined), oldest first.
    static func threeMachines(order: MachineDeletionOrder?, seed: UInt64 = 1,
                              drainTimeout: TimeInterval? = nil) async throws -> (InfrastructureHarness, [String]) {
        var pool = gpuPool(replicas: 0, boot: 0, gpuInit: 0)
        pool.deletionOrder = order
        pool.nodeDrainTimeout = drainTimeout
        let harness = try await InfrastructureHarness.start(pools: [pool], seed: seed)
        for (index, replicas) in [1, 2, 3].enumerated() {
            try await harness.scale("gpu-a", to: replicas)
            try await harness.step(to: Double(index) * 60)
        }
        let names = try await harness.events(of: .machineCreated).map { $0.object.replacingOccurrences(of: "default/", with: "") }
        return (harness, names)
    }

    @Test("the priority function is upstream's: deleting 100, annotated 75, unhealthy 50, Random 20, Oldest/Newest by age; ties by name",
          arguments: [
            (MachineDeletionOrder.random, ["deleting", "annotated", "unhealthy", "a-old", "b-new", "c-mid"]),
            (.oldest, ["deleting", "annotated", "unhealthy", "a-old", "c-mid", "b-new"]),
            (.newest, ["deleting", "annotated", "unhealthy", "b-new", "c-mid", "a-old"]),
          ])
    func priorities(order: MachineDeletionOrder, expected: [String]) {
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        let candidates: [ScaleDownOrder.Candidate] = [
            .init(name: "b-new", created: now.addingTimeInterval(-60)),
            .init(name: "unhealthy", isHealthy: false, created: now.addingTimeInterval(-10)),
            .init(name: "a-old", created: now.addingTimeInterval(-86_400)),
            .init(name: "annotated", markedForDeletion: true, created: now.addingTimeInterval(-5)),
            .init(name: "c-mid", created: now.addingTimeInterval(-3_600)),
            .init(name: "deleting", isDeleting: true, created: now),
        ]
        #expect(ScaleDownOrder.victims(candidates, count: 6, order: order, now: now) == expected)
        #expect(ScaleDownOrder.victims(candidates, count: 2, order: order, now: now) == Array(expected.prefix(2)))
        #expect(ScaleDownOrder.victims(candidates, count: 0, order: order, now: now).isEmpty)
    }

    @Test("the MachineDeployment's order is read from v1beta2 spec.deletion.order or v1beta1 deletePolicy; unset is Random")
    func orderFromObject() {
        #expect(MachineDeletionOrder.of(.object([:])) == .random)
        #expect(MachineDeletionOrder.of(.object(["spec": .object(["deletion": .object(["order": .string("Oldest")])])])) == .oldest)
        #expect(MachineDeletionOrder.of(.object(["spec": .object(["strategy": .object(["rollingUpdate": .object([
            "deletePolicy": .string("Newest")])])])])) == .newest)
        #expect(MachineDeletionOrder.of(.object(["spec": .object(["deletePolicy": .string("Newest")])])) == .newest)
    }

    @Test("Oldest and Newest remove by age and never look at pods: the busy machine goes and its pod is evicted",
          arguments: [MachineDeletionOrder.oldest, .newest])
    func byAgeIgnoringPods(order: MachineDeletionOrder) async throws {
        let (harness, names) = try await Self.threeMachines(order: order)
        defer { Task { await harness.shutdown() } }
        let victim = order == .oldest ? names[0] : names[2]
        try await harness.create("pods", yaml: gpuPodYAML("train", gpus: 8, nodeSelector: ["kubernetes.io/hostname": victim]))
        try await harness.step(to: 200)
        #expect(try await harness.pod("train").spec?.nodeName == victim)

        try await harness.scale("gpu-a", to: 2)
        try await harness.step(to: 210)
        #expect(!(try await harness.nodes().compactMap(\.metadata.name).contains(victim)))
        #expect(try await harness.machines().count == 2)
        #expect(await harness.infrastructure.podsDisruptedByScaleDown == ["default/train"])
        #expect(try await harness.infrastructure.summary().podsDisruptedByScaleDown == 1)
    }

    @Test("Random (the default) deletes by name order, so the seed decides; the delete-machine annotation wins over it")
    func randomIsSeededAndAnnotationFirst() async throws {
        var firstVictims: [String] = []
        for seed: UInt64 in [1, 2, 3, 4] {
            let (harness, names) = try await Self.threeMachines(order: nil, seed: seed)
            try await harness.scale("gpu-a", to: 2)
            try await harness.step(to: 200)
            let left = Set(try await harness.machines().map(\.objectName))
            let removed = Set(names).subtracting(left)
            #expect(removed == [names.min() ?? ""])
            firstVictims.append(names.firstIndex(of: removed.first ?? "").map { "\($0)" } ?? "?")

            // The annotated machine goes next, whatever its name.
            let marked = left.sorted().last ?? ""
            try await harness.objects.mergePatch("\(Self.machinesPath)/\(marked)", .object(["metadata": .object([
                "annotations": .object([ScaleDownOrder.deleteMachineAnnotation: .string("true")])])]))
            try await harness.scale("gpu-a", to: 1)
            try await harness.step(to: 210)
            #expect(Set(try await harness.machines().map(\.objectName)) == left.subtracting([marked]))
            await harness.shutdown()
        }
        // Same seed, same victims; across seeds the victim's age varies.
        let (again, names) = try await Self.threeMachines(order: nil, seed: 1)
        defer { Task { await again.shutdown() } }
        try await again.scale("gpu-a", to: 2)
        try await again.step(to: 200)
        #expect(!(try await again.machines().map(\.objectName).contains(names.min() ?? "")))
        #expect(Set(firstVictims).count > 1, "victims by age across seeds: \(firstVictims)")
    }

    @Test("an unhealthy (not Ready) machine goes before healthy ones, even the oldest under Oldest")
    func unhealthyFirst() async throws {
        var pool = gpuPool(replicas: 2, boot: 100, gpuInit: 0)
        pool.deletionOrder = .oldest
        let harness = try await InfrastructureHarness.start(pools: [pool])
        defer { Task { await harness.shutdown() } }
        try await harness.step(to: 0)
        try await harness.step(to: 150)
        try await harness.scale("gpu-a", to: 3)
        try await harness.step(to: 160)
        let booting = try #require(try await harness.nodes().first { !$0.isReady }?.metadata.name)
        try await harness.scale("gpu-a", to: 2)
        try await harness.step(to: 170)
        #expect(try await harness.nodes().count == 2)
        #expect(!(try await harness.machines().map(\.objectName).contains(booting)))
    }

    @Test("the drain cordons, waits for a PodDisruptionBudget, and after nodeDrainTimeout deletes the node with its pod")
    func drainHonoursBudgetsUntilTimeout() async throws {
        let (harness, names) = try await Self.threeMachines(order: .newest, drainTimeout: 300)
        defer { Task { await harness.shutdown() } }
        let victim = names[2]
        try await harness.create("pods", yaml: gpuPodYAML("train", gpus: 8, nodeSelector: ["kubernetes.io/hostname": victim])
            .replacingOccurrences(of: "metadata: {name: train, namespace: default}",
                                  with: "metadata: {name: train, namespace: default, labels: {app: train}}"))
        try await harness.create("pdb", yaml: """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: train, namespace: default}
            spec: {minAvailable: 1, selector: {matchLabels: {app: train}}}
            """)
        try await harness.step(to: 200)
        try await harness.scale("gpu-a", to: 2)
        try await harness.step(to: 1000)
        let machine = try await harness.objects.get("\(Self.machinesPath)/\(victim)", as: JSONValue.self)
        #expect(machine.at("metadata", "deletionTimestamp") != nil)
        #expect(machine.at("status", "phase")?.stringValue == "Deleting")
        #expect(try await harness.objects.get("/api/v1/nodes/\(victim)", as: KubeNode.self).spec?.unschedulable == true)
        #expect(try await harness.pod("train").spec?.nodeName == victim)
        #expect(try await harness.machineDeployment("gpu-a").at("status", "replicas")?.integer == 3)
        try await harness.step(to: 1299)
        #expect(await harness.infrastructure.podsDisruptedByScaleDown.isEmpty)
        #expect(try await harness.events(of: .podEvictionRefused).map(\.object) == ["default/train"])

        try await harness.step(to: 1300)
        #expect(try await harness.nodes().count == 2)
        #expect(try await harness.machines().count == 2)
        #expect(await harness.infrastructure.podsDisruptedByScaleDown == ["default/train"])
        #expect(try await harness.events(of: .podKilled).map(\.object) == ["default/train"])
    }

    @Test("a budget that allows a disruption lets the drain evict; drain-skipped pods are not counted")
    func drainEvictsWhenBudgetAllows() async throws {
        let (harness, names) = try await Self.threeMachines(order: .newest)
        defer { Task { await harness.shutdown() } }
        let victim = names[2]
        for name in ["web-1", "web-2"] {
            try await harness.create("pods", yaml: gpuPodYAML(name, gpus: 1, nodeSelector: ["kubernetes.io/hostname": victim])
                .replacingOccurrences(of: "metadata: {name: \(name), namespace: default}",
                                      with: "metadata: {name: \(name), namespace: default, labels: {app: web}}"))
        }
        try await harness.create("pods", yaml: gpuPodYAML("agent", gpus: 0, nodeSelector: ["kubernetes.io/hostname": victim])
            .replacingOccurrences(of: "metadata: {name: agent, namespace: default}",
                                  with: "metadata: {name: agent, namespace: default, labels: {cluster.x-k8s.io/drain: skip}}"))
        try await harness.create("pdb", yaml: """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web, namespace: default}
            spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
            """)
        try await harness.step(to: 200)
        try await harness.scale("gpu-a", to: 2)
        try await harness.step(to: 210)   // one web pod may go
        #expect(try await harness.events(of: .podEvicted).count == 1)
        try await harness.step(to: 220)   // the other once the first is gone (no controller re-creates it here)
        try await harness.step(to: 230)
        #expect(try await harness.nodes().count == 2)
        #expect(await harness.infrastructure.podsDisruptedByScaleDown.sorted() == ["default/web-1", "default/web-2"])
    }
}
