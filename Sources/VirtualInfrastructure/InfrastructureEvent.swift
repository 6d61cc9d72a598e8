import Foundation

/// Something the simulated infrastructure did, in the order it did it. The log is what tests
/// compare across runs (same seed → same log) and what replay reports wait times from.
public struct InfrastructureEvent: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case machineCreated, nodeReady, nodeGPUReady, machineDeleting, machineDeleted, nodeScaleUp, nodeScaleDown
        case nodeDrainStarted, nodeDrainTimedOut
        case podCreated, podScheduled, podUnschedulable, podPreempted, podFinished, podDeleted
        /// A bound pod's containers started after its image pull (`podStarted`), and it turned Ready
        /// after its model load (`podReady`); only logged for pods that did not start at once.
        case podStarted, podReady
        /// A pod removed by a Machine's drain (`podEvicted`), or still on the node when it was
        /// deleted (`podKilled`): the pods a scale-down disrupted.
        case podEvicted, podKilled
        /// An eviction a PodDisruptionBudget refused (logged once per pod and drain).
        case podEvictionRefused
        /// The Kueue emulation admitted a queued Job (unsuspended it); `detail` names its ClusterQueue.
        case jobAdmitted
        /// Standby buffers (`detail` names the buffer): a new node joined one (`standbyClaimed`), was set
        /// up and suspended (`standbySuspended`), was asked to resume for pending pods (`standbyResuming`,
        /// it leaves the buffer) or to refresh (`standbyRefreshing`), came back Ready (`standbyResumed`),
        /// got a pod while still setting up (`standbyTaken`), or was removed as surplus (`standbyReleased`).
        case standbyClaimed, standbySuspended, standbyResuming, standbyRefreshing, standbyResumed, standbyTaken, standbyReleased
    }

    public var time: Date
    public var kind: Kind
    /// `namespace/name` for pods and machines, the name for nodes.
    public var object: String
    /// The node a pod was bound to or preempted from, the preemptor, …
    public var detail: String

    public init(time: Date, kind: Kind, object: String, detail: String = "") {
        self.time = time
        self.kind = kind
        self.object = object
        self.detail = detail
    }

    public var description: String {
        let stamp = String(format: "%.3f", time.timeIntervalSince1970)
        return detail.isEmpty ? "\(stamp) \(kind.rawValue) \(object)" : "\(stamp) \(kind.rawValue) \(object) \(detail)"
    }
}

/// When each pod was created, bound and finished, from the event log.
public struct PodTimes: Sendable, Hashable {
    public var created: Date?
    public var scheduled: Date?
    public var finished: Date?

    /// Seconds from creation to binding, when both happened.
    public var wait: TimeInterval? {
        guard let created, let scheduled else { return nil }
        return scheduled.timeIntervalSince(created)
    }
}

extension Array where Element == InfrastructureEvent {
    /// Creation, scheduling and finish time of every pod the log mentions, by `namespace/name`.
    public func podTimes() -> [String: PodTimes] {
        var times: [String: PodTimes] = [:]
        for event in self {
            switch event.kind {
            case .podCreated: times[event.object, default: PodTimes()].created = event.time
            case .podScheduled: times[event.object, default: PodTimes()].scheduled = event.time
            case .podFinished, .podDeleted, .podPreempted, .podEvicted, .podKilled:
                if times[event.object]?.finished == nil { times[event.object, default: PodTimes()].finished = event.time }
            default: continue
            }
        }
        return times
    }
}

extension Array where Element == InfrastructureEvent {
    /// The pods that scale-downs evicted or killed (DaemonSet, mirror and drain-skipped pods are
    /// not counted), by `namespace/name`, in order.
    public var podsDisruptedByScaleDown: [String] {
        filter { $0.kind == .podEvicted || $0.kind == .podKilled }.map(\.object)
    }
}
