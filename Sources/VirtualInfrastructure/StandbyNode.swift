import Foundation
import KubeAPI

/// Where a node of a standby CapacityBuffer is in its cycle — set up, suspended, resuming — kept on
/// the Node as annotations (the emulation's own bookkeeping, so it survives a restart and shows in
/// `kubectl describe node`). What the rest of the cluster sees is what Kubernetes shows for a
/// suspended VM: the node lifecycle controller's view of a kubelet that stopped posting status
/// (`Ready=Unknown`, reason `NodeStatusUnknown`, taint `node.kubernetes.io/unreachable:NoSchedule`),
/// and no GPUs allocatable until the device plugin registers again after the resume.
struct StandbyNode: Sendable, Hashable {
    /// `namespace/name` of the standby CapacityBuffer the node belongs to; absent once it left
    /// the buffer (resumed for pending pods, taken by a pod, released).
    static let bufferAnnotation = "fleetcast.dev/standby-buffer"
    /// When the node was last suspended (RFC 3339): present while it is suspended or resuming.
    static let suspendedAnnotation = "fleetcast.dev/standby-suspended-at"
    /// When the running resume completes (RFC 3339).
    static let resumeAnnotation = "fleetcast.dev/standby-resume-at"
    /// When the node last came back from a suspension (RFC 3339): a refreshed member sets up again from then.
    static let awakeAnnotation = "fleetcast.dev/standby-awake-since"
    /// The taint Kubernetes' node lifecycle controller puts on a node whose kubelet stopped posting status.
    static let taint = Taint(key: "node.kubernetes.io/unreachable", effect: "NoSchedule")

    var buffer: String?
    var suspendedAt: Date?
    var resumeAt: Date?
    var awakeSince: Date?

    init(buffer: String? = nil, suspendedAt: Date? = nil, resumeAt: Date? = nil, awakeSince: Date? = nil) {
        self.buffer = buffer
        self.suspendedAt = suspendedAt
        self.resumeAt = resumeAt
        self.awakeSince = awakeSince
    }

    init(_ node: KubeNode) {
        let annotations = node.metadata.annotations ?? [:]
        buffer = annotations[Self.bufferAnnotation]
        suspendedAt = annotations[Self.suspendedAnnotation].flatMap(Timestamp.parse)
        resumeAt = annotations[Self.resumeAnnotation].flatMap(Timestamp.parse)
        awakeSince = annotations[Self.awakeAnnotation].flatMap(Timestamp.parse)
    }

    /// Suspended, or resuming but not done yet: the VM is not running.
    func isSuspended(at now: Date) -> Bool {
        guard suspendedAt != nil else { return false }
        guard let resumeAt else { return true }
        return now < resumeAt
    }

    /// Suspended with no resume asked for.
    var isIdleSuspended: Bool { suspendedAt != nil && resumeAt == nil }

    /// The annotations as a merge patch: absent values delete theirs.
    var annotationPatch: JSONValue {
        func value(_ date: Date?) -> JSONValue { date.map { .string(Timestamp.rfc3339($0)) } ?? .null }
        return .object([
            Self.bufferAnnotation: buffer.map(JSONValue.string) ?? .null,
            Self.suspendedAnnotation: value(suspendedAt),
            Self.resumeAnnotation: value(resumeAt),
            Self.awakeAnnotation: value(awakeSince),
        ])
    }

    /// The node's taints with the unreachable taint added while suspended, removed otherwise.
    func taints(of node: KubeNode, at now: Date) -> [Taint] {
        let others = (node.spec?.taints ?? []).filter { $0.key != Self.taint.key || $0.effect != Self.taint.effect }
        return isSuspended(at: now) ? others + [Self.taint] : others
    }
}

extension NodeShape {
    /// The status of a node whose VM is suspended: the lifecycle controller's `Ready=Unknown` since
    /// the suspension, no GPUs.
    func suspendedStatus(since: Date) -> NodeStatus {
        let resources = ["cpu": pool.cpu, "memory": pool.memory, "pods": "110"]
        let condition = NodeCondition(type: "Ready", status: "Unknown", reason: "NodeStatusUnknown",
                                      message: "Kubelet stopped posting node status.", lastTransitionTime: Timestamp.rfc3339(since))
        return NodeStatus(capacity: resources, allocatable: resources, conditions: [condition])
    }
}

/// One step of a standby node's cycle, for the event log.
enum StandbyTransition: Sendable, Hashable {
    /// Set up for the pool's `standby.setupTime` with nothing of its own running: suspended.
    case suspended
    /// Its resume delay has passed: Ready, untainted, GPUs allocatable.
    case resumed
    /// A pod was bound to it while it was still setting up: it left the buffer as an ordinary node.
    case taken

    var event: InfrastructureEvent.Kind {
        switch self {
        case .suspended: return .standbySuspended
        case .resumed: return .standbyResumed
        case .taken: return .standbyTaken
        }
    }
}

extension StandbyNode {
    /// The node's next state at `now`. A resume that is due completes; a member that has been awake
    /// (since its GPUs came up, or since its last resume) for `setupTime`, whose DaemonSet pods are
    /// all Ready (pre-pulls done) and with no pod of its own, is suspended; a member that got a pod
    /// while awake leaves the buffer. A node from before a restart (no timeline) counts as set up long ago.
    func next(timeline: MachineTimeline?, hasWorkload: Bool, daemonsStarting: Bool = false, setupTime: TimeInterval,
              now: Date) -> (StandbyNode, StandbyTransition?) {
        var next = self
        if let resumeAt, now >= resumeAt {
            next.suspendedAt = nil
            next.resumeAt = nil
            next.awakeSince = resumeAt
            return (next, .resumed)
        }
        guard buffer != nil, suspendedAt == nil else { return (self, nil) }
        if hasWorkload {
            next.buffer = nil
            return (next, .taken)
        }
        guard timeline?.hasGPUs(at: now) ?? true, !daemonsStarting else { return (self, nil) }
        let awake = awakeSince ?? timeline?.gpuReady ?? .distantPast
        guard now.timeIntervalSince(awake) >= setupTime else { return (self, nil) }
        next.suspendedAt = now
        next.awakeSince = nil
        return (next, .suspended)
    }
}

extension Taint {
    var jsonValue: JSONValue {
        var members: [String: JSONValue] = ["key": .string(key), "effect": .string(effect)]
        if let value { members["value"] = .string(value) }
        if let timeAdded { members["timeAdded"] = .string(timeAdded) }
        return .object(members)
    }
}

extension Pod {
    var isReady: Bool {
        status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }

    /// Controlled by a DaemonSet: it runs on every matching node, is not drained, and does not make a node busy.
    var isDaemonSetPod: Bool {
        metadata.ownerReferences?.contains { $0.kind == "DaemonSet" && $0.controller == true } ?? false
    }
}
