import Foundation
import KubeAPI
import Testing
@testable import VirtualInfrastructure

@Suite("Node autoscaler emulation")
struct NodeAutoscalerTests {
    static func autoscaledPool(min: Int = 0, max: Int = 3) -> NodePoolConfiguration {
        var pool = gpuPool(replicas: 0, boot: 60, gpuInit: 0)
        pool.minReplicas = min
        pool.maxReplicas = max
        pool.nodeAutoscaler = NodeAutoscalerSettings(scaleDownUnneededTime: 300)
        return pool
    }

    @Test("unschedulable pods add the nodes a packing needs, up to max; placeholders below the cutoff do not")
    func scalesUpForPendingPods() async throws {
        let harness = try await InfrastructureHarness.start(pools: [Self.autoscaledPool(max: 2)])
        defer { Task { await harness.shutdown() } }
        try await harness.create("pc", yaml: """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: placeholder}
            value: -20
            """)
        try await harness.create("pods", yaml: gpuPodYAML("balloon", gpus: 8, priorityClass: "placeholder"))
        try await harness.step(to: 0)
        try await harness.step(to: 10)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 0)

        for name in ["a", "b", "c"] { try await harness.create("pods", yaml: gpuPodYAML(name, gpus: 5)) }
        try await harness.step(to: 20)   // marked Unschedulable
        try await harness.step(to: 30)   // autoscaler: 3 pods of 5 GPUs need 3 nodes, max 2
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 2)
        try await harness.run(from: 40, to: 100, every: 10)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 2)
        let bound = try await harness.pods().filter { $0.spec?.nodeName != nil }.compactMap(\.metadata.name)
        #expect(bound.count == 2)
        #expect(!bound.contains("balloon"))
    }

    @Test("a node empty for the unneeded time is removed, down to min")
    func scalesDownEmptyNodes() async throws {
        var pool = Self.autoscaledPool(min: 1, max: 3)
        pool.initialReplicas = 3
        pool.bootDelay = .fixed(0)
        let harness = try await InfrastructureHarness.start(pools: [pool])
        defer { Task { await harness.shutdown() } }
        try await harness.step(to: 0)
        try await harness.create("pods", yaml: gpuPodYAML("keep", gpus: 8))
        try await harness.step(to: 1)
        let busy = try #require(try await harness.pod("keep").spec?.nodeName)
        try await harness.step(to: 299)
        #expect(try await harness.nodes().count == 3)
        try await harness.step(to: 300)   // the two empty nodes have been empty 300 s; min 1 allows both
        try await harness.step(to: 301)
        #expect(try await harness.nodes().compactMap(\.metadata.name) == [busy])
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 1)
    }

    static let bufferYAML = """
        apiVersion: v1
        kind: PodTemplate
        metadata: {name: gpu-node, namespace: default}
        template:
          spec:
            tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
            containers:
            - name: main
              image: busybox
              resources: {limits: {nvidia.com/gpu: "8"}}
        ---
        apiVersion: autoscaling.x-k8s.io/v1alpha1
        kind: CapacityBuffer
        metadata: {name: spare, namespace: default}
        spec:
          podTemplateRef: {name: gpu-node}
          replicas: 2
        """

    @Test("a CapacityBuffer keeps its spare nodes: scale-up with no pods, held while empty, topped up when a pod takes one")
    func capacityBufferKeepsSpareNodes() async throws {
        var pool = Self.autoscaledPool(min: 0, max: 4)
        pool.gpuInitDelay = .fixed(0)
        let harness = try await InfrastructureHarness.start(pools: [pool])
        defer { Task { await harness.shutdown() } }
        try await harness.create("buffers", yaml: Self.bufferYAML)
        try await harness.step(to: 0)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 2)
        try await harness.run(from: 10, to: 700, every: 10)
        // Empty for longer than the unneeded time (300 s), but the buffer holds both.
        #expect(try await harness.nodes().filter(\.isReady).count == 2)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 2)

        // A real pod lands on a warm node at once; the buffer then asks for one more node.
        try await harness.create("pods", yaml: gpuPodYAML("job", gpus: 8))
        try await harness.step(to: 701)
        #expect(try await harness.pod("job").spec?.nodeName != nil)
        try await harness.step(to: 702)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 3)

        // Without the buffer the two empty nodes go after the unneeded time; the busy one stays.
        try await harness.objects.mergePatch("/apis/autoscaling.x-k8s.io/v1alpha1/namespaces/default/capacitybuffers/spare",
                                             .object(["spec": .object(["replicas": .int(0)])]))
        try await harness.run(from: 710, to: 1200, every: 10)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 1)
        let busy = try #require(try await harness.pod("job").spec?.nodeName)
        #expect(try await harness.nodes().compactMap(\.metadata.name) == [busy])
    }

    @Test("buffers that fit no pool, or name a missing template, change nothing")
    func unusableBuffersAreIgnored() async throws {
        let harness = try await InfrastructureHarness.start(pools: [Self.autoscaledPool(max: 4)])
        defer { Task { await harness.shutdown() } }
        try await harness.create("buffers", yaml: Self.bufferYAML.replacingOccurrences(of: "nvidia.com/gpu: \"8\"", with: "nvidia.com/gpu: \"16\""))
        try await harness.create("buffers", yaml: """
            apiVersion: autoscaling.x-k8s.io/v1alpha1
            kind: CapacityBuffer
            metadata: {name: dangling, namespace: default}
            spec: {podTemplateRef: {name: missing}, replicas: 3}
            """)
        try await harness.run(from: 0, to: 30, every: 10)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 0)
    }

    @Test("first-fit packing counts upcoming nodes", arguments: [
        ([8, 8, 8], 8, 0, 3), ([4, 4, 4, 4], 8, 0, 2), ([4, 4, 4, 4], 8, 1, 1), ([9], 8, 0, 0), ([], 8, 2, 0),
    ])
    func packing(requests: [Int], nodeGPUs: Int, upcoming: Int, expected: Int) {
        #expect(NodeAutoscaler.newNodes(for: requests, nodeGPUs: nodeGPUs, upcomingNodes: upcoming) == expected)
    }
}

/// cluster-autoscaler's Cluster API annotations, honoured as its clusterapi provider and core honour them.
@Suite("Node autoscaler: cluster-autoscaler annotations")
struct NodeAutoscalerAnnotationTests {
    static func annotate(_ harness: InfrastructureHarness, min: Int, max: Int) async throws {
        _ = try await harness.cluster.serve(method: "PATCH", path: "/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments/gpu-a",
                                        body: Data(#"{"metadata":{"annotations":{"cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size":"\#(min)","cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size":"\#(max)"}}}"#.utf8))
    }

    @Test("the min-size annotation is a floor the group is raised to; max-size caps scale-ups over the pool's own max")
    func boundsFromAnnotations() async throws {
        var pool = NodeAutoscalerTests.autoscaledPool(min: 0, max: 1)
        pool.bootDelay = .fixed(0)
        let harness = try await InfrastructureHarness.start(pools: [pool])
        defer { Task { await harness.shutdown() } }
        try await harness.step(to: 0)
        try await Self.annotate(harness, min: 2, max: 4)
        try await harness.step(to: 10)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 2)
        for name in ["a", "b", "c", "d", "e"] { try await harness.create("pods", yaml: gpuPodYAML(name, gpus: 8)) }
        try await harness.run(from: 11, to: 40, every: 1)
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 4)
    }

    @Test("a node annotated scale-down-disabled is never removed as unneeded; without it, it is")
    func scaleDownDisabled() async throws {
        var pool = NodeAutoscalerTests.autoscaledPool(min: 0, max: 3)
        pool.initialReplicas = 2
        pool.bootDelay = .fixed(0)
        let harness = try await InfrastructureHarness.start(pools: [pool])
        defer { Task { await harness.shutdown() } }
        try await harness.step(to: 0)
        try await harness.step(to: 1)
        let names = try await harness.nodes().compactMap(\.metadata.name).sorted()
        #expect(names.count == 2)
        let protected = try #require(names.first)
        _ = try await harness.cluster.serve(method: "PATCH", path: "/api/v1/nodes/\(protected)",
                                        body: Data(#"{"metadata":{"annotations":{"cluster-autoscaler.kubernetes.io/scale-down-disabled":"true"}}}"#.utf8))
        try await harness.run(from: 2, to: 320, every: 10)
        #expect(try await harness.nodes().compactMap(\.metadata.name) == [protected])
        #expect(try await harness.machineDeployment("gpu-a").at("spec", "replicas")?.integer == 1)
    }
}
