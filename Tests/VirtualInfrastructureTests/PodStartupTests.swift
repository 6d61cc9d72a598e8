import Foundation
import KubeAPI
import Testing
@testable import VirtualInfrastructure

@Suite("Pod start-up: image pull and model load, as the kubelet reports them")
struct PodStartupTests {
    static func pool() -> NodePoolConfiguration {
        var pool = gpuPool(replicas: 1, boot: 0, gpuInit: 0)
        pool.imagePullDelay = .fixed(240)
        pool.cachedImagePullDelay = .fixed(2)
        pool.modelLoadDelay = .fixed(60)
        return pool
    }

    static func condition(_ type: String, of pod: Pod) -> PodCondition? {
        pod.status?.conditions?.first { $0.type == type }
    }

    @Test("a bound pod pulls, then loads, then turns Ready, with the kubelet's timestamps")
    func pullThenLoadThenReady() async throws {
        let harness = try await InfrastructureHarness.start(pools: [Self.pool()])
        defer { Task { await harness.shutdown() } }
        try await harness.create("pods", yaml: gpuPodYAML("server", gpus: 4))
        try await harness.step(to: 0)
        var pod = try await harness.pod("server")
        #expect(pod.spec?.nodeName != nil)
        #expect(pod.status?.phase == "Pending")
        #expect(Self.condition("PodScheduled", of: pod)?.status == "True")
        #expect(Self.condition("Ready", of: pod)?.status == "False")
        #expect(pod.status?.containerStatuses?.first?.state?.waiting?.reason == "ContainerCreating")

        try await harness.step(to: 239)
        #expect(try await harness.pod("server").status?.phase == "Pending")
        try await harness.step(to: 240)
        pod = try await harness.pod("server")
        #expect(pod.status?.phase == "Running")
        #expect(pod.status?.containerStatuses?.first?.state?.running?.startedAt == Timestamp.rfc3339(InfrastructureHarness.origin.addingTimeInterval(240)))
        #expect(Self.condition("ContainersReady", of: pod)?.status == "False")
        #expect(Self.condition("Ready", of: pod)?.status == "False")

        try await harness.step(to: 300)
        pod = try await harness.pod("server")
        let ready = try #require(Self.condition("Ready", of: pod))
        #expect(ready.status == "True")
        #expect(ready.lastTransitionTime == Timestamp.rfc3339(InfrastructureHarness.origin.addingTimeInterval(300)))
        #expect(Self.condition("ContainersReady", of: pod)?.status == "True")
        #expect(Self.condition("PodScheduled", of: pod)?.lastTransitionTime == Timestamp.rfc3339(InfrastructureHarness.origin))
        let kinds = await harness.infrastructure.events.filter { $0.object == "default/server" }.map(\.kind)
        #expect(kinds.contains(.podStarted) && kinds.contains(.podReady))
    }

    @Test("a second pod with the same image on the same node pulls from the cache")
    func cachedImagePullsFast() async throws {
        let harness = try await InfrastructureHarness.start(pools: [Self.pool()])
        defer { Task { await harness.shutdown() } }
        try await harness.create("pods", yaml: gpuPodYAML("first", gpus: 4))
        try await harness.step(to: 0)
        try await harness.step(to: 300)
        try await harness.create("pods", yaml: gpuPodYAML("second", gpus: 4))
        try await harness.step(to: 400)
        #expect(try await harness.pod("second").status?.phase == "Pending")
        try await harness.step(to: 402)
        let second = try await harness.pod("second")
        #expect(second.spec?.nodeName == (try await harness.pod("first").spec?.nodeName))
        #expect(second.status?.phase == "Running")
        #expect(second.status?.containerStatuses?.first?.state?.running?.startedAt == Timestamp.rfc3339(InfrastructureHarness.origin.addingTimeInterval(402)))
    }

    @Test("a pool without pull or load delays starts pods at once, Ready with the same timestamps")
    func noDelaysStartAtOnce() async throws {
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(replicas: 1, boot: 0, gpuInit: 0)])
        defer { Task { await harness.shutdown() } }
        try await harness.create("pods", yaml: gpuPodYAML("now", gpus: 8))
        try await harness.step(to: 10)
        let pod = try await harness.pod("now")
        let at = Timestamp.rfc3339(InfrastructureHarness.origin.addingTimeInterval(10))
        #expect(pod.status?.phase == "Running")
        #expect(Self.condition("Ready", of: pod)?.lastTransitionTime == at)
        #expect(pod.status?.containerStatuses?.first?.state?.running?.startedAt == at)
        #expect(pod.status?.containerStatuses?.first?.restartCount == 0)
        #expect(pod.status?.containerStatuses?.first?.started == true)
    }
}
