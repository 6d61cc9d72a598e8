import Foundation
import KubeAPI
import Testing
@testable import VirtualInfrastructure

@Suite("DaemonSet controller emulation")
struct DaemonSetTests {
    static func daemonSetYAML(name: String = "prepull", pool: String = "gpu-a", tolerateGPU: Bool = true,
                              images: [String] = ["registry.example/serve:1"]) -> String {
        let tolerations = tolerateGPU ? "\n      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]" : ""
        let initContainers = images.enumerated().map { index, image in
            "\n      - {name: pull-\(index), image: \"\(image)\", command: [\"true\"]}"
        }.joined()
        return """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: \(name), namespace: default}
            spec:
              selector: {matchLabels: {app: \(name)}}
              template:
                metadata: {labels: {app: \(name)}}
                spec:
                  nodeSelector: {fleetcast.dev/pool: \(pool)}\(tolerations)
                  initContainers:\(initContainers)
                  containers:
                  - {name: pause, image: "registry.k8s.io/pause:3.10"}
            """
    }

    static func daemonPods(_ harness: InfrastructureHarness) async throws -> [Pod] {
        try await harness.pods().filter(\.isDaemonSetPod)
    }

    @Test("one pod per node its selector and tolerations admit, pinned by metadata.name affinity; status counts; gone with the DaemonSet")
    func placement() async throws {
        var other = gpuPool("gpu-b", replicas: 1, boot: 0, gpuInit: 0)
        other.labels = ["fleetcast.dev/pool": "gpu-b"]
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(replicas: 2, boot: 0, gpuInit: 0), other])
        defer { Task { await harness.shutdown() } }
        try await harness.step(to: 0)
        try await harness.create("ds", yaml: Self.daemonSetYAML())
        try await harness.create("ds", yaml: Self.daemonSetYAML(name: "untolerated", tolerateGPU: false))
        try await harness.step(to: 1)
        try await harness.step(to: 2)
        let pods = try await Self.daemonPods(harness)
        let poolNodes = Set(try await harness.nodes().filter { $0.metadata.labels?["fleetcast.dev/pool"] == "gpu-a" }.compactMap(\.metadata.name))
        #expect(pods.count == 2)
        #expect(Set(pods.compactMap(\.spec?.nodeName)) == poolNodes)
        #expect(pods.allSatisfy { pod in
            pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.first?.matchFields?.first?.values
                == [pod.spec?.nodeName ?? ""]
        })
        #expect(pods.allSatisfy { ($0.spec?.tolerations ?? []).contains { $0.key == "node.kubernetes.io/unreachable" && $0.effect == "NoExecute" } })
        let daemonSet = try await harness.objects.get("/apis/apps/v1/namespaces/default/daemonsets/prepull", as: JSONValue.self)
        #expect(daemonSet.at("status", "desiredNumberScheduled")?.integer == 2)
        #expect(daemonSet.at("status", "numberReady")?.integer == 2)
        let untolerated = try await harness.objects.get("/apis/apps/v1/namespaces/default/daemonsets/untolerated", as: JSONValue.self)
        #expect(untolerated.at("status", "desiredNumberScheduled")?.integer == 0)

        // A new node gets its pod; a deleted DaemonSet takes its pods with it.
        try await harness.scale("gpu-a", to: 3)
        try await harness.step(to: 3)
        try await harness.step(to: 4)
        #expect(try await Self.daemonPods(harness).count == 3)
        _ = try await harness.cluster.serve(method: "DELETE", path: "/apis/apps/v1/namespaces/default/daemonsets/prepull")
        try await harness.step(to: 5)
        #expect(try await Self.daemonPods(harness).isEmpty)
    }

    @Test("an image a DaemonSet's init container pulled is cached: a later pod with it pulls in the cached time")
    func prePullCachesImages() async throws {
        var pool = gpuPool(replicas: 2, boot: 0, gpuInit: 0)
        pool.imagePullDelay = .fixed(240)
        pool.cachedImagePullDelay = .fixed(2)
        let harness = try await InfrastructureHarness.start(pools: [pool])
        defer { Task { await harness.shutdown() } }
        try await harness.step(to: 0)
        try await harness.create("ds", yaml: Self.daemonSetYAML(pool: "gpu-b"))   // selects no node: nothing pre-pulled
        try await harness.step(to: 1)
        try await harness.create("pods", yaml: gpuPodYAML("cold", gpus: 8).replacingOccurrences(of: "image: busybox", with: "image: \"registry.example/serve:1\""))
        try await harness.step(to: 2)
        let coldNode = try #require(try await harness.pod("cold").spec?.nodeName)

        try await harness.objects.mergePatch("/apis/apps/v1/namespaces/default/daemonsets/prepull",
                                             .object(["spec": .object(["template": .object(["spec": .object([
                                                 "nodeSelector": .object(["fleetcast.dev/pool": .string("gpu-a")])])])])]))
        try await harness.run(from: 3, to: 250, every: 1)
        #expect(try await Self.daemonPods(harness).allSatisfy(\.isReady))
        try await harness.create("pods", yaml: gpuPodYAML("warm", gpus: 8).replacingOccurrences(of: "image: busybox", with: "image: \"registry.example/serve:1\""))
        try await harness.step(to: 251)
        let warm = try await harness.pod("warm")
        #expect(warm.spec?.nodeName != coldNode)
        try await harness.step(to: 253)
        #expect(try await harness.pod("warm").status?.phase == "Running")
        let cold = try await harness.pod("cold")
        let started = cold.status?.containerStatuses?.first?.state?.running?.startedAt
        #expect(started == Timestamp.rfc3339(InfrastructureHarness.origin.addingTimeInterval(242)))
    }

    @Test("a standby node is suspended only once its DaemonSet pods are Ready (pre-pulls done)")
    func standbyWaitsForDaemons() async throws {
        var pool = StandbyBufferTests.pool()
        pool.imagePullDelay = .fixed(300)
        let harness = try await InfrastructureHarness.start(pools: [pool])
        defer { Task { await harness.shutdown() } }
        try await harness.create("ds", yaml: Self.daemonSetYAML())
        try await harness.create("buffer", yaml: StandbyBufferTests.bufferYAML(replicas: 1))
        // Created at 10, Ready at 70 (the daemon pod binds and pulls for 300 s), GPUs at 100.
        try await harness.run(from: 0, to: 360, every: 10)
        #expect(try await StandbyBufferTests.suspended(harness).isEmpty)
        try await harness.run(from: 370, to: 380, every: 10)
        #expect(try await StandbyBufferTests.suspended(harness).count == 1)
    }
}
