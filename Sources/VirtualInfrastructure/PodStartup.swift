import Foundation
import KubeAPI
import Sampling

/// The kubelet's side of starting a pod on a simulated node: pull the pod's images (quickly when
/// the node already has them), start its containers, load the model, turn Ready. Pods on a pool with
/// no pull or load delay start at once, as before; either way the status carries the timestamps a
/// kubelet writes — `PodScheduled`, `Initialized`, `ContainersReady` and `Ready` with their
/// `lastTransitionTime`, and `containerStatuses[].state.running.startedAt` — so the operator can
/// learn the phases from them.
struct PodStartup {
    /// When a bound pod's containers start and when it turns Ready, drawn once at binding.
    struct Timeline: Sendable, Hashable {
        var scheduled: Date
        var started: Date
        var ready: Date
    }

    var pools: [NodePoolConfiguration]
    /// Pods still starting, by `namespace/name`.
    private(set) var timelines: [String: Timeline] = [:]
    /// When each image is (or will be) present on each node, by node name then image.
    private var images: [String: [String: Date]] = [:]

    init(pools: [NodePoolConfiguration]) {
        self.pools = pools
    }

    /// Draws the start of `pod`, just bound to `node` at `context.now`.
    mutating func begin(_ pod: Pod, on node: KubeNode, context: inout StepContext) -> Timeline {
        let now = context.now
        let pool = node.metadata.labels?[NodePoolConfiguration.deploymentNameLabel].flatMap { name in
            pools.first { $0.machineDeployment == name }
        }
        guard let pool else { return Timeline(scheduled: now, started: now, ready: now) }
        let nodeName = node.metadata.name ?? ""
        var pulled = now
        // Init containers run inside the pull phase: their images are pulled (and cached) too.
        let containers = (pod.spec?.initContainers ?? []) + (pod.spec?.containers ?? [])
        for image in Set(containers.compactMap(\.image)).sorted() {
            let present = images[nodeName]?[image]
            let delay = (present == nil ? pool.imagePullDelay : pool.cachedImagePullDelay).sample(using: &context.generator)
            let available = max(present ?? now, now.addingTimeInterval(delay))
            images[nodeName, default: [:]][image] = min(present ?? available, available)
            pulled = max(pulled, available)
        }
        let ready = pulled.addingTimeInterval(pool.modelLoadDelay.sample(using: &context.generator))
        let timeline = Timeline(scheduled: now, started: pulled, ready: ready)
        if ready > now { timelines[pod.key] = timeline }
        return timeline
    }

    /// Forgets the image caches of nodes that are gone.
    mutating func keepNodes(_ names: Set<String>) {
        images = images.filter { names.contains($0.key) }
    }

    /// Writes the status of every starting pod whose state changed by `context.now`; returns the
    /// pods whose containers started in this step, with when, so their run time counts from then.
    mutating func advance(_ objects: ClusterObjects, pods: [Pod], context: inout StepContext) async throws -> [String: Date] {
        var started: [String: Date] = [:]
        let present = Dictionary(pods.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for (key, timeline) in timelines.sorted(by: { $0.key < $1.key }) {
            guard let pod = present[key], pod.isBound, !pod.isTerminal, pod.metadata.deletionTimestamp == nil else {
                timelines[key] = nil
                continue
            }
            let status = Self.status(of: pod, timeline: timeline, at: context.now)
            if status.phase != pod.status?.phase || status.conditions != pod.status?.conditions {
                var updated = pod
                updated.metadata.resourceVersion = nil
                updated.status = status
                try await objects.replace("\(pod.path)/status", updated)
                if pod.status?.phase != "Running" && status.phase == "Running" {
                    started[key] = timeline.started
                    context.record(.podStarted, key, pod.spec?.nodeName ?? "")
                }
                if status.conditions?.contains(where: { $0.type == "Ready" && $0.status == "True" }) == true {
                    context.record(.podReady, key, pod.spec?.nodeName ?? "")
                }
            }
            if context.now >= timeline.ready { timelines[key] = nil }
        }
        return started
    }

    /// The status a kubelet reports for `pod` at `now`: Pending while pulling (containers waiting in
    /// `ContainerCreating`), Running but not Ready while the model loads, then Ready.
    static func status(of pod: Pod, timeline: Timeline, at now: Date) -> PodStatus {
        let scheduled = Timestamp.rfc3339(timeline.scheduled)
        let running = now >= timeline.started
        let ready = now >= timeline.ready
        let readySince = Timestamp.rfc3339(ready ? timeline.ready : timeline.scheduled)
        let conditions = [
            PodCondition(type: "PodScheduled", status: "True", lastTransitionTime: scheduled),
            PodCondition(type: "Initialized", status: "True", lastTransitionTime: scheduled),
            PodCondition(type: "ContainersReady", status: ready ? "True" : "False",
                         reason: ready ? nil : "ContainersNotReady", lastTransitionTime: readySince),
            PodCondition(type: "Ready", status: ready ? "True" : "False", reason: ready ? nil : "ContainersNotReady",
                         lastTransitionTime: readySince),
        ]
        let containers = (pod.spec?.containers ?? []).map { container in
            ContainerStatus(name: container.name, ready: ready, restartCount: 0, started: running, image: container.image,
                            state: running ? ContainerState(running: .init(startedAt: Timestamp.rfc3339(timeline.started)))
                                           : ContainerState(waiting: .init(reason: "ContainerCreating")))
        }
        return PodStatus(phase: running ? "Running" : "Pending", conditions: conditions, startTime: scheduled,
                         containerStatuses: containers)
    }
}
