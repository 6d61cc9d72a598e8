import Foundation
import KubeAPI

/// Binds pending pods, highest priority first, through `pods/binding` as kube-scheduler does,
/// starts them through `PodStartup` (the kubelet's image pull and model load), preempts lower-priority pods when that is the
/// only way in, and reports the rest `PodScheduled=False` with reason `Unschedulable`.
struct PodScheduler {
    /// When each running pod started (`namespace/name`), at full precision for duration timing.
    var startTimes: [String: Date] = [:]
    /// The kubelet's part once a pod is bound: image pull and model load before it is Ready.
    var startup = PodStartup(pools: [])

    /// Advances the pods still pulling or loading; a pod's run time counts from its containers' start.
    mutating func advanceStarts(_ objects: ClusterObjects, pods: [Pod], context: inout StepContext) async throws {
        let started = try await startup.advance(objects, pods: pods, context: &context)
        startTimes.merge(started) { _, new in new }
    }

    mutating func schedule(_ objects: ClusterObjects, pods: [Pod], priorities: PriorityResolver, context: inout StepContext) async throws {
        let pending = pods.filter(\.needsScheduling)
        guard !pending.isEmpty else { return }
        let priority = priorities.priority(of:)
        let nodes = try await objects.list("/api/v1/nodes", as: KubeNode.self)
        startup.keepNodes(Set(nodes.compactMap(\.metadata.name)))
        let nodesByName = Dictionary(nodes.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        var planner = PlacementPlanner(nodes: nodes.map { node in
            let name = node.metadata.name ?? ""
            return SchedulableNode(
                name: name, labels: node.metadata.labels ?? [:], taints: node.spec?.taints ?? [], isReady: node.isReady,
                isCordoned: node.spec?.unschedulable ?? false, allocatableGPUs: node.allocatableGPUs,
                occupants: pods.filter { $0.spec?.nodeName == name && !$0.isTerminal }.map {
                    .init(key: $0.key, priority: priority($0), gpus: $0.gpuRequest, created: $0.metadata.creationTimestamp ?? "")
                })
        })
        let ordered = pending.sorted {
            (-priority($0), $0.metadata.creationTimestamp ?? "", $0.key) < (-priority($1), $1.metadata.creationTimestamp ?? "", $1.key)
        }
        let byKey = Dictionary(pods.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for pod in ordered {
            let podPriority = priority(pod)
            switch planner.place(pod, priority: podPriority) {
            case .bind(let node):
                try await bind(pod, to: node, node: nodesByName[node], priority: podPriority, planner: &planner, objects: objects,
                               context: &context)
            case .preempt(let node, let victims):
                for victim in victims {
                    if let victimPod = byKey[victim] { try await objects.delete(victimPod.path) }
                    startTimes[victim] = nil
                    context.record(.podPreempted, victim, "by \(pod.key) on \(node)")
                }
                if let index = planner.nodes.firstIndex(where: { $0.name == node }) {
                    planner.nodes[index].occupants.removeAll { victims.contains($0.key) }
                }
                try await bind(pod, to: node, node: nodesByName[node], priority: podPriority, planner: &planner, objects: objects,
                               context: &context)
            case .unschedulable(let message):
                try await markUnschedulable(pod, message: message, objects: objects, context: &context)
            }
        }
    }

    private mutating func bind(_ pod: Pod, to node: String, node object: KubeNode?, priority: Int, planner: inout PlacementPlanner,
                               objects: ClusterObjects, context: inout StepContext) async throws {
        try await objects.bind(pod: pod.metadata.name ?? "", namespace: pod.metadata.namespace ?? "default", to: node)
        let timeline = object.map { startup.begin(pod, on: $0, context: &context) }
            ?? PodStartup.Timeline(scheduled: context.now, started: context.now, ready: context.now)
        var bound = pod
        bound.metadata.resourceVersion = nil
        bound.spec?.nodeName = node
        bound.status = PodStartup.status(of: bound, timeline: timeline, at: context.now)
        try await objects.replace("\(pod.path)/status", bound)
        if timeline.started <= context.now { startTimes[pod.key] = context.now }
        if let index = planner.nodes.firstIndex(where: { $0.name == node }) {
            planner.nodes[index].occupants.append(.init(key: pod.key, priority: priority, gpus: pod.gpuRequest,
                                                        created: pod.metadata.creationTimestamp ?? ""))
        }
        context.record(.podScheduled, pod.key, node)
    }

    private func markUnschedulable(_ pod: Pod, message: String, objects: ClusterObjects, context: inout StepContext) async throws {
        let current = pod.status?.conditions?.first { $0.type == "PodScheduled" }
        guard current?.reason != "Unschedulable" || current?.message != message else { return }
        var pending = pod
        pending.metadata.resourceVersion = nil
        var conditions = (pod.status?.conditions ?? []).filter { $0.type != "PodScheduled" }
        let since = current?.reason == "Unschedulable" ? current?.lastTransitionTime : Timestamp.rfc3339(context.now)
        conditions.append(PodCondition(type: "PodScheduled", status: "False", reason: "Unschedulable", message: message,
                                       lastTransitionTime: since))
        pending.status = PodStatus(phase: "Pending", conditions: conditions)
        try await objects.replace("\(pod.path)/status", pending)
        if current?.reason != "Unschedulable" { context.record(.podUnschedulable, pod.key) }
    }

    /// Running pods whose `fleetcast.dev/duration-seconds` has elapsed since they started succeed
    /// and free their GPUs.
    mutating func finishCompleted(_ objects: ClusterObjects, pods: [Pod], context: inout StepContext) async throws -> [Pod] {
        var result = pods
        for (index, pod) in pods.enumerated() where pod.status?.phase == "Running" {
            guard let text = pod.metadata.annotations?[Self.durationAnnotation], let duration = TimeInterval(text) else { continue }
            let started = startTimes[pod.key] ?? .distantPast
            guard context.now >= started.addingTimeInterval(duration) else { continue }
            var done = pod
            done.metadata.resourceVersion = nil
            let now = Timestamp.rfc3339(context.now)
            done.status?.phase = "Succeeded"
            done.status?.conditions = (pod.status?.conditions ?? []).filter { $0.type != "Ready" }
                + [PodCondition(type: "Ready", status: "False", reason: "PodCompleted", lastTransitionTime: now)]
            try await objects.replace("\(pod.path)/status", done)
            startTimes[pod.key] = nil
            result[index] = done
            context.record(.podFinished, pod.key, pod.spec?.nodeName ?? "")
        }
        return result
    }

    /// How long a pod runs once started, in seconds (the workload replay sets it from the trace).
    static let durationAnnotation = "fleetcast.dev/duration-seconds"
}
