import Foundation
import KubeAPI

/// A pool's standby nodes as the cluster shows them, and the resumes learned from them.
///
/// A suspended node is what Kubernetes shows for any VM whose kubelet went silent: its `Ready`
/// condition is not True and the node lifecycle controller has tainted it
/// `node.kubernetes.io/unreachable` (GKE standby buffers, EKS Stopped warm-pool instances and AKS
/// deallocated nodes that stay registered all look like this). A node that did and is Ready again
/// has resumed. A resume is timed from the moment demand asked for it — the creation of the earliest
/// of the pool's pods bound to the node since (a pending pod is what makes the autoscaler resume a
/// node) but not before the node was suspended — to its `Ready` transition. A node that resumes with
/// no pod of the pool on it yet is held until one is bound (a refresh, which no pod asked for, never
/// gets one and is dropped after `pendingLimit`). Keeps the most recent `capacity` resumes.
struct StandbyResumeTracker: Sendable {
    static let unreachableTaint = "node.kubernetes.io/unreachable"

    var capacity = 50
    /// How long a resumed node waits for its first pod before it is forgotten.
    var pendingLimit: TimeInterval = 600
    private(set) var samples: [TimeInterval] = []
    /// Suspended nodes by uid (or name), with when they were suspended (their Ready transition).
    private var suspended: [String: Date] = [:]
    /// Resumed nodes waiting for their first pod: when they were suspended and when they turned Ready.
    private var resumed: [String: (suspendedAt: Date, readyAt: Date)] = [:]

    /// A node whose VM is suspended (or is resuming): not Ready and unreachable-tainted.
    static func isSuspended(_ node: KubeNode) -> Bool {
        let ready = node.status?.conditions?.first { $0.type == "Ready" }?.status == "True"
        return !ready && (node.spec?.taints ?? []).contains { $0.key == unreachableTaint }
    }

    /// Follows the pool's nodes; returns the resumes completed by this observation (seconds each).
    mutating func observe(nodes: [KubeNode], pods: [Pod], now: Date) -> [TimeInterval] {
        let present = Dictionary(nodes.compactMap { node in Self.key(node).map { ($0, node) } }, uniquingKeysWith: { first, _ in first })
        suspended = suspended.filter { present[$0.key] != nil }
        resumed = resumed.filter { present[$0.key] != nil && now.timeIntervalSince($0.value.readyAt) <= pendingLimit }
        for (key, node) in present {
            if Self.isSuspended(node) {
                let since = node.status?.conditions?.first { $0.type == "Ready" }?.lastTransitionTime.flatMap(KubeTime.parse)
                if suspended[key] == nil { suspended[key] = since ?? now }
                resumed[key] = nil
            } else if let since = suspended.removeValue(forKey: key), let readyAt = StartupPhaseTracker.readyTransition(node) {
                resumed[key] = (since, readyAt)
            }
        }
        var completed: [TimeInterval] = []
        for (key, times) in resumed.sorted(by: { $0.key < $1.key }) {
            guard let name = present[key]?.metadata.name else { continue }
            let asked = pods.filter { $0.spec?.nodeName == name }
                .compactMap { $0.metadata.creationTimestamp.flatMap(KubeTime.parse) }
                .filter { $0 >= times.suspendedAt }.min()
            guard let asked else { continue }
            resumed[key] = nil
            let duration = times.readyAt.timeIntervalSince(asked)
            guard duration.isFinite, duration > -1 else { continue }
            completed.append(max(0, duration))
        }
        samples += completed
        if samples.count > capacity { samples.removeFirst(samples.count - capacity) }
        return completed
    }

    /// The pool's suspended nodes now.
    static func suspendedCount(_ nodes: [KubeNode]) -> Int {
        nodes.filter { $0.metadata.deletionTimestamp == nil && isSuspended($0) }.count
    }

    private static func key(_ node: KubeNode) -> String? {
        node.metadata.uid ?? node.metadata.name
    }
}
