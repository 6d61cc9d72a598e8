import Autoscaling
import Foundation
import KubeAPI

/// Learns the pool's start-up phases (`StartupPhase`) from the timestamps the cluster keeps: a
/// Machine's and a Node's creation, the Node's Ready transition, the moment the operator first saw
/// its GPUs allocatable, and its first pod's PodScheduled condition, containers' `startedAt` and
/// Ready condition. Each node gives at most one sample per phase; a phase whose timestamps are
/// missing is skipped for that node, never recorded as zero. Keeps the most recent `capacity`
/// samples of each phase.
///
/// The pod phases come from the first pod scheduled on each node (the earliest PodScheduled among
/// the pool's pods bound there), the one that pulled onto a cold image cache. A pod already gone
/// when the operator first looks is not seen, so after a restart an old node may contribute a later
/// pod whose pull was cached; the bounded window lets newer nodes wash that out.
struct StartupPhaseTracker: Sendable {
    var capacity = 50
    private(set) var samples: [StartupPhase: [TimeInterval]] = [:]
    /// Present nodes seen Ready without GPUs: when GPUs then appear, the GPU phase is known to the reconcile.
    private var awaitingGPUs: Set<String> = []
    /// When each present node became useful (Ready with GPUs), until its first pod is sampled.
    private var usefulAt: [String: Date] = [:]
    /// Nodes whose node phases, and whose pod phases, are recorded (bounded, oldest first).
    private var nodesDone: [String] = []
    private var podsDone: [String] = []

    init(capacity: Int = 50) {
        self.capacity = max(1, capacity)
    }

    /// - Parameter machinesCreated: the creation time of each node's Machine, by node name, when the
    ///   target is a MachineDeployment and the Machines could be read; empty otherwise.
    mutating func observe(nodes: [KubeNode], pods: [Pod], resource: String, machinesCreated: [String: Date] = [:], now: Date) {
        let present = Set(nodes.compactMap(Self.key))
        awaitingGPUs.formIntersection(present)
        usefulAt = usefulAt.filter { present.contains($0.key) }
        for node in nodes where node.metadata.deletionTimestamp == nil {
            observe(node, resource: resource, machineCreated: node.metadata.name.flatMap { machinesCreated[$0] }, now: now)
        }
        let waiting = nodes.filter { Self.key($0).map { !podsDone.contains($0) } ?? false }
        guard !waiting.isEmpty else { return }
        let firstPods = Self.firstScheduledPods(pods, on: Set(waiting.compactMap(\.metadata.name)))
        for node in waiting {
            guard let name = node.metadata.name, let uid = Self.key(node),
                  let pod = firstPods[name], let scheduled = Self.condition("PodScheduled", of: pod) else { continue }
            guard let ready = Self.condition("Ready", of: pod) else { continue }
            let created = pod.metadata.creationTimestamp.flatMap(KubeTime.parse)
            if let capacityAt = usefulAt[uid] ?? Self.readyTransition(node) {
                record(.scheduling, scheduled.timeIntervalSince(max(created ?? capacityAt, capacityAt)))
            }
            if let started = Self.containersStarted(pod) {
                record(.imagePull, started.timeIntervalSince(scheduled))
                record(.modelLoad, ready.timeIntervalSince(started))
            }
            Self.remember(uid, in: &podsDone, capacity: capacity)
            usefulAt[uid] = nil
        }
    }

    /// The nodes whose node phases the next `observe` records: useful now and not yet sampled (the
    /// ones whose Machine's creation time is worth reading).
    func nodesAboutToBeSampled(_ nodes: [KubeNode], resource: String) -> [KubeNode] {
        nodes.filter { node in
            guard let uid = Self.key(node), node.metadata.deletionTimestamp == nil else { return false }
            return !nodesDone.contains(uid) && NodeReadiness.isUseful(node, resource: resource)
        }
    }

    private mutating func observe(_ node: KubeNode, resource: String, machineCreated: Date?, now: Date) {
        guard let uid = Self.key(node), !nodesDone.contains(uid) else { return }
        let readyAt = Self.readyTransition(node)
        guard NodeReadiness.isUseful(node, resource: resource) else {
            if readyAt != nil { awaitingGPUs.insert(uid) }
            return
        }
        let created = node.metadata.creationTimestamp.flatMap(KubeTime.parse)
        if let created, let machineCreated { record(.provisioning, created.timeIntervalSince(machineCreated)) }
        if let created, let readyAt { record(.nodeReady, readyAt.timeIntervalSince(created)) }
        if awaitingGPUs.remove(uid) != nil, let readyAt {
            record(.gpuReady, now.timeIntervalSince(readyAt))
            usefulAt[uid] = now
        } else {
            usefulAt[uid] = readyAt
        }
        Self.remember(uid, in: &nodesDone, capacity: capacity)
    }

    /// Records a phase; a negative duration of less than a second is timestamps' whole-second
    /// precision (a pod created and scheduled within the same second) and counts as zero, anything
    /// more negative is inconsistent data and is dropped.
    private mutating func record(_ phase: StartupPhase, _ duration: TimeInterval) {
        guard duration.isFinite, duration > -1 else { return }
        var values = samples[phase] ?? []
        values.append(max(0, duration))
        if values.count > capacity { values.removeFirst(values.count - capacity) }
        samples[phase] = values
    }

    /// Adds a sampled node to a bounded list (four windows' worth: nodes live longer than samples).
    private static func remember(_ uid: String, in done: inout [String], capacity: Int) {
        done.append(uid)
        if done.count > capacity * 4 { done.removeFirst(done.count - capacity * 4) }
    }

    private static func key(_ node: KubeNode) -> String? {
        node.metadata.uid ?? node.metadata.name
    }

    /// The Ready condition's own transition time: unlike `NodeReadiness.readySince`, no fallback to
    /// the creation time, which would record a zero-second phase from a missing timestamp.
    static func readyTransition(_ node: KubeNode) -> Date? {
        guard let ready = node.status?.conditions?.first(where: { $0.type == "Ready" }), ready.status == "True" else { return nil }
        return ready.lastTransitionTime.flatMap(KubeTime.parse)
    }

    /// When a pod condition turned True; nil when it is not True or has no transition time.
    static func condition(_ type: String, of pod: Pod) -> Date? {
        guard let condition = pod.status?.conditions?.first(where: { $0.type == type }), condition.status == "True" else { return nil }
        return condition.lastTransitionTime.flatMap(KubeTime.parse)
    }

    /// When the last of the pod's containers started running; nil unless every container reports
    /// `state.running.startedAt`.
    static func containersStarted(_ pod: Pod) -> Date? {
        let statuses = pod.status?.containerStatuses ?? []
        guard !statuses.isEmpty, statuses.count >= (pod.spec?.containers.count ?? 0) else { return nil }
        let started = statuses.map { $0.state?.running?.startedAt.flatMap(KubeTime.parse) }
        guard started.allSatisfy({ $0 != nil }) else { return nil }
        return started.compactMap { $0 }.max()
    }

    /// The earliest-scheduled pod on each of `nodes`, by node name (pods elsewhere are not parsed, so
    /// a reconcile with every node sampled costs nothing here).
    static func firstScheduledPods(_ pods: [Pod], on nodes: Set<String>) -> [String: Pod] {
        var first: [String: (pod: Pod, at: Date)] = [:]
        for pod in pods {
            guard let node = pod.spec?.nodeName, nodes.contains(node), let at = condition("PodScheduled", of: pod) else { continue }
            if let current = first[node], current.at <= at { continue }
            first[node] = (pod, at)
        }
        return first.mapValues(\.pod)
    }
}
