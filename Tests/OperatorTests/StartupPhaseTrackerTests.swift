import Autoscaling
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// The operator learns start-up phases from the timestamps the cluster keeps; a missing timestamp
/// skips the phase for that node, never records zero.
@Suite struct StartupPhaseTrackerTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    /// A node created at 0 that is NotReady, Ready without GPUs, or useful.
    static func node(_ name: String, ready: TimeInterval?, gpus: Bool, readyTransition: Bool = true) -> KubeNode {
        var node = gpuNode(name, created: t0, readyAt: ready.map(at), gpus: 8)
        node.status?.allocatable = gpus ? ["nvidia.com/gpu": "8"] : [:]
        node.status?.conditions = [NodeCondition(type: "Ready", status: ready == nil ? "False" : "True",
                                                 lastTransitionTime: readyTransition ? KubeTime.format(at(ready ?? 0)) : nil)]
        return node
    }

    /// A pod created at `created`, scheduled, its containers started and Ready at the given offsets.
    static func pod(_ name: String, on node: String, created: TimeInterval, scheduled: TimeInterval,
                    started: TimeInterval?, ready: TimeInterval?) -> Pod {
        var pod = gpuPod(name, gpus: 8, node: node)
        pod.metadata.creationTimestamp = KubeTime.format(at(created))
        var conditions = [PodCondition(type: "PodScheduled", status: "True", lastTransitionTime: KubeTime.format(at(scheduled)))]
        if let ready { conditions.append(PodCondition(type: "Ready", status: "True", lastTransitionTime: KubeTime.format(at(ready)))) }
        pod.status?.conditions = conditions
        if let started {
            pod.status?.containerStatuses = [ContainerStatus(name: "main", state: ContainerState(running: .init(startedAt: KubeTime.format(at(started)))))]
        }
        return pod
    }

    @Test func nodePhasesFromWatchingANodeComeUp() {
        var tracker = StartupPhaseTracker()
        tracker.observe(nodes: [Self.node("n1", ready: nil, gpus: false)], pods: [], resource: "nvidia.com/gpu", now: Self.at(30))
        tracker.observe(nodes: [Self.node("n1", ready: 100, gpus: false)], pods: [], resource: "nvidia.com/gpu", now: Self.at(110))
        tracker.observe(nodes: [Self.node("n1", ready: 100, gpus: true)], pods: [], resource: "nvidia.com/gpu", now: Self.at(160))
        #expect(tracker.samples[.nodeReady] == [100])
        #expect(tracker.samples[.gpuReady] == [60])
        // Sampled once: seeing the node again adds nothing.
        tracker.observe(nodes: [Self.node("n1", ready: 100, gpus: true)], pods: [], resource: "nvidia.com/gpu", now: Self.at(190))
        #expect(tracker.samples[.nodeReady] == [100])
    }

    @Test func aNodeUsefulAtFirstSightHasNoGPUPhase() {
        var tracker = StartupPhaseTracker()
        tracker.observe(nodes: [Self.node("n1", ready: 90, gpus: true)], pods: [], resource: "nvidia.com/gpu", now: Self.at(500))
        #expect(tracker.samples[.nodeReady] == [90])
        #expect(tracker.samples[.gpuReady] == nil)
    }

    @Test func aMissingReadyTransitionIsSkippedNotZero() {
        var tracker = StartupPhaseTracker()
        tracker.observe(nodes: [Self.node("n1", ready: 90, gpus: true, readyTransition: false)], pods: [],
                        resource: "nvidia.com/gpu", now: Self.at(500))
        #expect(tracker.samples[.nodeReady] == nil)
    }

    @Test func machineCreationGivesTheProvisioningPhase() {
        var tracker = StartupPhaseTracker()
        tracker.observe(nodes: [Self.node("n1", ready: 90, gpus: true)], pods: [], resource: "nvidia.com/gpu",
                        machinesCreated: ["n1": Self.at(-45)], now: Self.at(500))
        #expect(tracker.samples[.provisioning] == [45])
    }

    @Test func theFirstPodOnANodeGivesSchedulingPullAndLoad() {
        var tracker = StartupPhaseTracker()
        let node = Self.node("n1", ready: 100, gpus: true)
        let first = Self.pod("p1", on: "n1", created: 50, scheduled: 102, started: 400, ready: 460)
        let cached = Self.pod("p2", on: "n1", created: 500, scheduled: 501, started: 503, ready: 560)
        // Not Ready yet: nothing is learned from the pod, and it is not given up on.
        tracker.observe(nodes: [node], pods: [Self.pod("p1", on: "n1", created: 50, scheduled: 102, started: 400, ready: nil)],
                        resource: "nvidia.com/gpu", now: Self.at(420))
        #expect(tracker.samples[.imagePull] == nil)
        tracker.observe(nodes: [node], pods: [cached, first], resource: "nvidia.com/gpu", now: Self.at(600))
        #expect(tracker.samples[.scheduling] == [2])
        #expect(tracker.samples[.imagePull] == [298])
        #expect(tracker.samples[.modelLoad] == [60])
    }

    @Test func aPodWithoutContainerStatusesGivesOnlyScheduling() {
        var tracker = StartupPhaseTracker()
        tracker.observe(nodes: [Self.node("n1", ready: 100, gpus: true)],
                        pods: [Self.pod("p1", on: "n1", created: 200, scheduled: 205, started: nil, ready: 300)],
                        resource: "nvidia.com/gpu", now: Self.at(600))
        #expect(tracker.samples[.scheduling] == [5])
        #expect(tracker.samples[.imagePull] == nil)
        #expect(tracker.samples[.modelLoad] == nil)
    }

    @Test func inconsistentTimestampsAreDropped() {
        var tracker = StartupPhaseTracker()
        // A container restarted after the pod turned Ready: startedAt is after Ready, so no model load.
        tracker.observe(nodes: [Self.node("n1", ready: 100, gpus: true)],
                        pods: [Self.pod("p1", on: "n1", created: 200, scheduled: 200, started: 900, ready: 300)],
                        resource: "nvidia.com/gpu", now: Self.at(1000))
        #expect(tracker.samples[.imagePull] == [700])
        #expect(tracker.samples[.modelLoad] == nil)
    }

    @Test func samplesAreBoundedToTheMostRecent() {
        var tracker = StartupPhaseTracker(capacity: 3)
        for index in 0..<5 {
            tracker.observe(nodes: [Self.node("n\(index)", ready: Double(10 * (index + 1)), gpus: true)], pods: [],
                            resource: "nvidia.com/gpu", now: Self.at(1000))
        }
        #expect(tracker.samples[.nodeReady] == [30, 40, 50])
    }
}
