import Foundation
import KubeAPI
import Sampling
import Testing
import Traces
@testable import VirtualInfrastructure

@Suite("Node pools from MachineDeployments")
struct NodePoolTests {
    @Test("scaling 0→3 yields three nodes, Ready after the boot delay and GPU-allocatable after the GPU-init delay")
    func scaleUpFollowsDelays() async throws {
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(boot: 120, gpuInit: 60)])
        defer { Task { await harness.shutdown() } }
        try await harness.step(to: 0)
        #expect(try await harness.nodes().isEmpty)

        try await harness.scale("gpu-a", to: 3)
        try await harness.step(to: 10)
        var nodes = try await harness.nodes()
        #expect(nodes.count == 3)
        #expect(try await harness.machines().count == 3)
        #expect(nodes.allSatisfy { !$0.isReady && $0.allocatableGPUs == 0 })
        #expect(nodes.allSatisfy { $0.metadata.labels?["fleetcast.dev/pool"] == "gpu-a" })
        #expect(nodes.allSatisfy { $0.spec?.taints == [Taint(key: "nvidia.com/gpu", value: "present", effect: "NoSchedule")] })

        try await harness.step(to: 129)
        #expect(try await harness.nodes().allSatisfy { !$0.isReady })
        try await harness.step(to: 130)
        nodes = try await harness.nodes()
        #expect(nodes.allSatisfy { $0.isReady && $0.allocatableGPUs == 0 })
        var deployment = try await harness.machineDeployment("gpu-a")
        #expect(deployment.at("status", "readyReplicas")?.integer == 3)

        try await harness.step(to: 189)
        #expect(try await harness.nodes().allSatisfy { $0.allocatableGPUs == 0 })
        try await harness.step(to: 190)
        nodes = try await harness.nodes()
        #expect(nodes.allSatisfy { $0.allocatableGPUs == 8 })
        deployment = try await harness.machineDeployment("gpu-a")
        #expect(deployment.at("status", "replicas")?.integer == 3)
        #expect(deployment.at("status", "availableReplicas")?.integer == 3)
        #expect(deployment.at("status", "phase")?.stringValue == "Running")
        let scale = try await harness.objects.get("/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments/gpu-a/scale",
                                                  as: JSONValue.self)
        #expect(scale.at("spec", "replicas")?.integer == 3)
        #expect(scale.at("status", "replicas")?.integer == 3)
        #expect(scale.at("status", "selector")?.stringValue == "cluster.x-k8s.io/deployment-name=gpu-a")

        let events = await harness.infrastructure.events
        #expect(events.filter { $0.kind == .nodeReady }.map(\.time) == Array(repeating: InfrastructureHarness.origin.addingTimeInterval(130), count: 3))
        #expect(events.filter { $0.kind == .nodeGPUReady }.map(\.time) == Array(repeating: InfrastructureHarness.origin.addingTimeInterval(190), count: 3))
    }

    @Test("log-normal delays have the configured median and 90th percentile")
    func logNormalQuantiles() {
        var generator = SplitMix64(seed: 42)
        let delay = DelayDistribution.logNormal(p50: 120, p90: 300)
        let samples = (0..<20_000).map { _ in delay.sample(using: &generator) }.sorted()
        #expect(abs(samples[10_000] - 120) < 6)
        #expect(abs(samples[18_000] - 300) < 15)
        #expect(DelayDistribution.fixed(-3).sample(using: &generator) == 0)
    }
}

extension InfrastructureHarness {
    func events(of kind: InfrastructureEvent.Kind) async throws -> [InfrastructureEvent] {
        await infrastructure.events.filter { $0.kind == kind }
    }
}
