import Foundation
import KubeAPI
import Testing
@testable import VirtualInfrastructure

@Suite("Scheduler, preemption and Deployments")
struct SchedulerTests {
    @Test("a pod stays Unschedulable until GPUs are allocatable, then binds and runs")
    func bindsWhenGPUsAppear() async throws {
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(replicas: 1, boot: 60, gpuInit: 30)])
        defer { Task { await harness.shutdown() } }
        try await harness.create("pods", yaml: gpuPodYAML("trainer", gpus: 8))
        try await harness.step(to: 0)
        var pod = try await harness.pod("trainer")
        let condition = pod.status?.conditions?.first { $0.type == "PodScheduled" }
        #expect(condition?.status == "False")
        #expect(condition?.reason == "Unschedulable")
        #expect(condition?.message?.hasPrefix("0/1 nodes are available:") == true)
        #expect(pod.status?.phase == "Pending")

        try await harness.step(to: 60)   // Ready, but no GPUs yet
        #expect(try await harness.pod("trainer").spec?.nodeName == nil)
        try await harness.step(to: 90)
        pod = try await harness.pod("trainer")
        #expect(pod.spec?.nodeName?.hasPrefix("gpu-a-") == true)
        #expect(pod.status?.phase == "Running")
        #expect(pod.status?.conditions?.contains { $0.type == "PodScheduled" && $0.status == "True" } == true)
        let times = await harness.infrastructure.events.podTimes()["default/trainer"]
        #expect(times?.scheduled == InfrastructureHarness.origin.addingTimeInterval(90))
    }

    @Test("pods that do not fit, lack a toleration or miss the selector stay pending; whole GPUs are counted")
    func filters() async throws {
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(replicas: 1, boot: 0, gpuInit: 0)])
        defer { Task { await harness.shutdown() } }
        try await harness.create("pods", yaml: gpuPodYAML("a", gpus: 5))
        try await harness.create("pods", yaml: gpuPodYAML("b", gpus: 4))
        try await harness.create("pods", yaml: gpuPodYAML("c", gpus: 3))
        try await harness.create("pods", yaml: gpuPodYAML("elsewhere", gpus: 1, nodeSelector: ["fleetcast.dev/pool": "other"]))
        try await harness.create("pods", yaml: """
            apiVersion: v1
            kind: Pod
            metadata: {name: intolerant, namespace: default}
            spec:
              containers: [{name: main, image: busybox, resources: {limits: {nvidia.com/gpu: "1"}}}]
            """)
        try await harness.step(to: 0)
        let bound = Dictionary(uniqueKeysWithValues: try await harness.pods().map { ($0.metadata.name ?? "", $0.spec?.nodeName != nil) })
        #expect(bound == ["a": true, "b": false, "c": true, "elsewhere": false, "intolerant": false])
        let message = try await harness.pod("intolerant").status?.conditions?.first { $0.type == "PodScheduled" }?.message
        #expect(message?.contains("untolerated taint") == true)
    }

    @Test("a real pod preempts a placeholder and binds at once; the Deployment re-creates the placeholder, which goes Pending")
    func preemptsPlaceholders() async throws {
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(replicas: 1, boot: 0, gpuInit: 0)])
        defer { Task { await harness.shutdown() } }
        try await harness.create("placeholder", yaml: """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: placeholder}
            value: -10
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: balloon, namespace: default}
            spec:
              replicas: 1
              selector: {matchLabels: {app: balloon}}
              template:
                metadata: {labels: {app: balloon}}
                spec:
                  priorityClassName: placeholder
                  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                  containers: [{name: pause, image: pause, resources: {limits: {nvidia.com/gpu: "8"}}}]
            """)
        try await harness.step(to: 0)
        let balloons = try await harness.pods()
        #expect(balloons.count == 1)
        let node = try #require(balloons.first?.spec?.nodeName)
        try await harness.step(to: 1)   // status follows at the next step
        let deployment = try await harness.objects.get("/apis/apps/v1/namespaces/default/deployments/balloon", as: JSONValue.self)
        #expect(deployment.at("status", "readyReplicas")?.integer == 1)

        try await harness.create("pods", yaml: gpuPodYAML("real", gpus: 8))
        try await harness.step(to: 10)
        #expect(try await harness.pod("real").spec?.nodeName == node)
        let preempted = try await harness.events(of: .podPreempted)
        #expect(preempted.map(\.object) == [balloons[0].key])
        #expect(preempted.first?.time == InfrastructureHarness.origin.addingTimeInterval(10))

        try await harness.step(to: 20)
        let replacement = try await harness.pods().filter { $0.metadata.labels?["app"] == "balloon" }
        #expect(replacement.count == 1)
        #expect(replacement.first?.key != balloons[0].key)
        #expect(replacement.first?.spec?.nodeName == nil)
        #expect(replacement.first?.status?.conditions?.first { $0.type == "PodScheduled" }?.reason == "Unschedulable")
    }

    @Test("pods with a duration finish and free their GPUs", arguments: [30.0, 90.0])
    func durations(seconds: Double) async throws {
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(replicas: 1, boot: 0, gpuInit: 0)])
        defer { Task { await harness.shutdown() } }
        try await harness.create("pods", yaml: gpuPodYAML("job", gpus: 8).replacingOccurrences(
            of: "namespace: default}", with: "namespace: default, annotations: {fleetcast.dev/duration-seconds: \"\(seconds)\"}}"))
        try await harness.step(to: 0)
        try await harness.step(to: seconds - 1)
        #expect(try await harness.pod("job").status?.phase == "Running")
        try await harness.step(to: seconds)
        #expect(try await harness.pod("job").status?.phase == "Succeeded")
        #expect(await harness.infrastructure.events.podTimes()["default/job"]?.finished == InfrastructureHarness.origin.addingTimeInterval(seconds))
    }
}
