import Foundation
import KubeAPI
import Testing
@testable import VirtualInfrastructure

@Suite("Standby CapacityBuffers")
struct StandbyBufferTests {
    /// An autoscaled pool whose nodes boot in 60 s, get GPUs 30 s later, set up for 60 s and resume in 40 s.
    static func pool(max: Int = 6, refresh: TimeInterval = 24 * 3600) -> NodePoolConfiguration {
        var pool = gpuPool(replicas: 0, boot: 60, gpuInit: 30)
        pool.minReplicas = 0
        pool.maxReplicas = max
        pool.nodeAutoscaler = NodeAutoscalerSettings(scaleDownUnneededTime: 300)
        pool.standby = StandbySettings(resumeDelay: .fixed(40), setupTime: 60, refreshInterval: refresh)
        return pool
    }

    static func bufferYAML(replicas: Int) -> String {
        NodeAutoscalerTests.bufferYAML
            .replacingOccurrences(of: "metadata: {name: spare, namespace: default}", with: "metadata: {name: standby, namespace: default}")
            .replacingOccurrences(of: "podTemplateRef: {name: gpu-node}",
                                  with: "provisioningStrategy: buffer.gke.io/standby-capacity\n  podTemplateRef: {name: gpu-node}")
            .replacingOccurrences(of: "replicas: 2", with: "replicas: \(replicas)")
    }

    static func setReplicas(_ harness: InfrastructureHarness, _ replicas: Int) async throws {
        try await harness.objects.mergePatch("/apis/autoscaling.x-k8s.io/v1alpha1/namespaces/default/capacitybuffers/standby",
                                             .object(["spec": .object(["replicas": .int(Int64(replicas))])]))
    }

    static func suspended(_ harness: InfrastructureHarness) async throws -> [KubeNode] {
        try await harness.nodes().filter { node in
            node.status?.conditions?.first { $0.type == "Ready" }?.status == "Unknown"
                && (node.spec?.taints ?? []).contains(StandbyNode.taint)
        }
    }

    @Test("a standby buffer's replicas become nodes that boot, set up, then suspend: NotReady, unreachable-tainted, no GPUs")
    func nodesAreSetUpThenSuspended() async throws {
        let harness = try await InfrastructureHarness.start(pools: [Self.pool()])
        defer { Task { await harness.shutdown() } }
        try await harness.create("buffer", yaml: Self.bufferYAML(replicas: 2))
        try await harness.step(to: 0)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 2)
        try await harness.step(to: 1)   // machines created
        try await harness.step(to: 2)   // claimed by the buffer
        #expect(try await harness.nodes().filter { StandbyNode($0).buffer == "default/standby" }.count == 2)
        // GPUs at 91 s; set up for 60 s, then suspended.
        try await harness.step(to: 100)
        #expect(try await Self.suspended(harness).isEmpty)
        #expect(try await harness.nodes().filter(\.isReady).count == 2)
        try await harness.step(to: 152)
        let suspended = try await Self.suspended(harness)
        #expect(suspended.count == 2)
        #expect(suspended.allSatisfy { $0.allocatableGPUs == 0 && !$0.isReady })
        #expect(suspended.allSatisfy { $0.status?.conditions?.first?.reason == "NodeStatusUnknown" })
        // Suspended members are kept: not removed as unneeded, and the pool does not grow for them.
        try await harness.run(from: 160, to: 1000, every: 20)
        #expect(try await Self.suspended(harness).count == 2)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 2)
        #expect(try await harness.infrastructure.summary().nodesStandby == 2)
        #expect(try await harness.infrastructure.summary().nodesStarting == 0)
    }

    @Test("a pending pod resumes a suspended node, which is Ready after the resume delay; the buffer refills with a new node")
    func pendingPodsResumeNodes() async throws {
        let harness = try await InfrastructureHarness.start(pools: [Self.pool()])
        defer { Task { await harness.shutdown() } }
        try await harness.create("buffer", yaml: Self.bufferYAML(replicas: 1))
        try await harness.run(from: 0, to: 200, every: 10)
        let standby = try #require(try await Self.suspended(harness).first?.metadata.name)

        try await harness.create("pods", yaml: gpuPodYAML("serve", gpus: 8))
        try await harness.step(to: 201)   // Unschedulable; the autoscaler resumes the standby node
        let resuming = try await harness.objects.get("/api/v1/nodes/\(standby)", as: KubeNode.self)
        #expect(StandbyNode(resuming).buffer == nil)
        #expect(StandbyNode(resuming).resumeAt == InfrastructureHarness.origin.addingTimeInterval(241))
        #expect(!resuming.isReady)
        // The buffer is one short: the pool grows by one node for it, not by one more for the pod.
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 2)
        try await harness.step(to: 240)
        #expect(try await harness.pod("serve").spec?.nodeName == nil)
        try await harness.step(to: 241)   // resumed: Ready, untainted, GPUs
        try await harness.step(to: 242)
        let resumed = try await harness.objects.get("/api/v1/nodes/\(standby)", as: KubeNode.self)
        #expect(resumed.isReady && resumed.allocatableGPUs == 8 && !(resumed.spec?.taints ?? []).contains(StandbyNode.taint))
        #expect(try await harness.pod("serve").spec?.nodeName == standby)
        let readySince = resumed.status?.conditions?.first { $0.type == "Ready" }?.lastTransitionTime
        #expect(readySince == Timestamp.rfc3339(InfrastructureHarness.origin.addingTimeInterval(241)))
        // The replacement boots, sets up and suspends: the buffer is whole again.
        try await harness.run(from: 250, to: 450, every: 10)
        let members = try await harness.nodes().filter { StandbyNode($0).buffer == "default/standby" }
        #expect(members.count == 1 && members.first?.metadata.name != standby)
        #expect(try await Self.suspended(harness).count == 1)
        let kinds = await harness.infrastructure.events.map(\.kind)
        #expect(kinds.contains(.standbyResuming) && kinds.contains(.standbyResumed) && kinds.filter { $0 == .standbyClaimed }.count == 2)
    }

    @Test("shrinking the buffer releases members; suspended members past the refresh interval wake, set up and suspend again")
    func releaseAndRefresh() async throws {
        let harness = try await InfrastructureHarness.start(pools: [Self.pool(refresh: 600)])
        defer { Task { await harness.shutdown() } }
        try await harness.create("buffer", yaml: Self.bufferYAML(replicas: 3))
        try await harness.run(from: 0, to: 200, every: 10)
        #expect(try await Self.suspended(harness).count == 3)
        try await Self.setReplicas(harness, 1)
        try await harness.run(from: 210, to: 260, every: 10)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 1)
        #expect(try await harness.nodes().count == 1)
        let kinds = await harness.infrastructure.events.map(\.kind)
        #expect(kinds.filter { $0 == .standbyReleased }.count == 2)
        // Suspended since ~151 s: at 751 s it is woken (40 s), is Ready, sets up for 60 s, suspends again.
        try await harness.run(from: 270, to: 760, every: 10)
        #expect(await harness.infrastructure.events.contains { $0.kind == .standbyRefreshing })
        try await harness.run(from: 770, to: 800, every: 10)
        #expect(try await harness.nodes().filter(\.isReady).count == 1)
        try await harness.run(from: 810, to: 900, every: 10)
        #expect(try await Self.suspended(harness).count == 1)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 1)
    }

    @Test("an active buffer and pending pods are not served by standby members that are still suspended")
    func activeBufferIgnoresStandbyMembers() async throws {
        let harness = try await InfrastructureHarness.start(pools: [Self.pool()])
        defer { Task { await harness.shutdown() } }
        try await harness.create("standby", yaml: Self.bufferYAML(replicas: 1))
        try await harness.run(from: 0, to: 200, every: 10)
        try await harness.create("active", yaml: NodeAutoscalerTests.bufferYAML
            .replacingOccurrences(of: "metadata: {name: gpu-node, namespace: default}", with: "metadata: {name: gpu-node-2, namespace: default}")
            .replacingOccurrences(of: "podTemplateRef: {name: gpu-node}", with: "podTemplateRef: {name: gpu-node-2}"))
        try await harness.step(to: 210)
        // Two running nodes for the active buffer on top of the suspended one.
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 3)
        try await harness.run(from: 220, to: 400, every: 10)
        #expect(try await harness.nodes().filter(\.isReady).count == 2)
        #expect(try await Self.suspended(harness).count == 1)
    }

    @Test("state transitions", arguments: [
        // (suspendedAt, resumeAt, hasWorkload, awake for, expected)
        (nil, nil, false, 59.0, "none"), (nil, nil, false, 60.0, "suspended"), (nil, nil, true, 100.0, "taken"),
        (0.0, nil, false, 1000.0, "none"), (0.0, 50.0, false, 1000.0, "resumed"),
    ] as [(Double?, Double?, Bool, Double, String)])
    func transitions(suspendedAt: Double?, resumeAt: Double?, hasWorkload: Bool, awake: Double, expected: String) {
        let origin = InfrastructureHarness.origin
        let state = StandbyNode(buffer: "default/standby", suspendedAt: suspendedAt.map { origin.addingTimeInterval($0) },
                                resumeAt: resumeAt.map { origin.addingTimeInterval($0) })
        let timeline = MachineTimeline(created: origin, ready: origin, gpuReady: origin)
        let (_, transition) = state.next(timeline: timeline, hasWorkload: hasWorkload, setupTime: 60, now: origin.addingTimeInterval(awake))
        let name = switch transition {
        case .suspended: "suspended"
        case .resumed: "resumed"
        case .taken: "taken"
        case nil: "none"
        }
        #expect(name == expected)
    }
}
