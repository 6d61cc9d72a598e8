import Foundation
import KubeAPI

/// The deletion of one Machine, as Cluster API's Machine controller performs it: the MachineSet's
/// DELETE only sets `deletionTimestamp` (the Machine carries the `machine.cluster.x-k8s.io`
/// finalizer); the controller then cordons the node, evicts its pods (DaemonSet and mirror pods and
/// pods labelled `cluster.x-k8s.io/drain: skip` stay), honouring PodDisruptionBudgets, until the node
/// is empty or `nodeDrainTimeout` has passed since the drain began, deletes the node (pods still on it
/// die with it) and removes the finalizer. The annotation `machine.cluster.x-k8s.io/exclude-node-draining`
/// skips the drain. A timeout of zero (the default) waits for the budgets forever.
struct MachineDrain {
    static let finalizer = "machine.cluster.x-k8s.io"
    static let excludeDrainingAnnotation = "machine.cluster.x-k8s.io/exclude-node-draining"
    static let drainLabel = "cluster.x-k8s.io/drain"
    static let mirrorPodAnnotation = "kubernetes.io/config.mirror"

    /// When each Machine's drain began (`namespace/name`); Cluster API keeps it in
    /// `status.deletion.nodeDrainStartTime`, here it is held in memory.
    var drainStarted: [String: Date] = [:]
    /// Pods whose eviction was refused during the current drain, so each refusal is logged once.
    var refused: Set<String> = []

    /// Advances the deletion of `machine` (which has a deletionTimestamp); true once it is gone.
    /// The node and its pods are in `objects`' cluster, the Machine (at `path`) in `machines`'.
    mutating func reconcile(_ machine: JSONValue, path: String, node: KubeNode?, pods: inout [Pod],
                            budgets: inout PodDisruptionBudgets, objects: ClusterObjects, machines: ClusterObjects,
                            context: inout StepContext) async throws -> Bool {
        let key = "\(machine.objectNamespace)/\(machine.objectName)"
        if let node, let nodeName = node.metadata.name {
            let started = drainStarted[key] ?? context.now
            if drainStarted[key] == nil {
                drainStarted[key] = started
                context.record(.nodeDrainStarted, nodeName, "machine \(key)")
            }
            if node.spec?.unschedulable != true {
                try await objects.mergePatch("/api/v1/nodes/\(nodeName)", .object(["spec": .object(["unschedulable": .bool(true)])]))
            }
            let timeout = Self.nodeDrainTimeout(of: machine)
            let timedOut = timeout > 0 && context.now.timeIntervalSince(started) >= timeout
            if machine.objectAnnotations[Self.excludeDrainingAnnotation] == nil && !timedOut {
                let drained = try await evict(from: nodeName, machine: key, pods: &pods, budgets: &budgets, objects: objects, context: &context)
                guard drained else { return false }
            } else if timedOut {
                context.record(.nodeDrainTimedOut, nodeName, String(format: "after %.0fs", timeout))
            }
            for pod in pods where pod.spec?.nodeName == nodeName && !pod.isTerminal {
                try await objects.delete(pod.path)
                if !Self.skipsDrain(pod) { context.record(.podKilled, pod.key, "node \(nodeName) deleted") }
            }
            pods.removeAll { $0.spec?.nodeName == nodeName }
            try await objects.delete("/api/v1/nodes/\(nodeName)")
        }
        try await machines.mergePatch(path, .object(["metadata": .object(["finalizers": .null])]))
        drainStarted[key] = nil
        refused = refused.filter { !$0.hasPrefix("\(key)|") }
        context.record(.machineDeleted, key)
        return true
    }

    /// Evicts what may go now; true when nothing that must be drained is left on the node.
    private mutating func evict(from nodeName: String, machine key: String, pods: inout [Pod], budgets: inout PodDisruptionBudgets, objects: ClusterObjects,
                                context: inout StepContext) async throws -> Bool {
        let onNode = pods.filter { $0.spec?.nodeName == nodeName && !$0.isTerminal && !Self.skipsDrain($0) }
            .sorted { $0.key < $1.key }
        var remaining = 0
        for pod in onNode {
            if let refusal = budgets.evict(pod) {
                remaining += 1
                if refused.insert("\(key)|\(pod.key)").inserted { context.record(.podEvictionRefused, pod.key, refusal) }
                continue
            }
            try await objects.delete(pod.path)
            pods.removeAll { $0.key == pod.key }
            context.record(.podEvicted, pod.key, "draining node \(nodeName)")
        }
        return remaining == 0
    }

    /// DaemonSet and mirror pods, and pods labelled `cluster.x-k8s.io/drain: skip`, are not drained.
    static func skipsDrain(_ pod: Pod) -> Bool {
        pod.metadata.annotations?[mirrorPodAnnotation] != nil
            || pod.metadata.labels?[drainLabel] == "skip"
            || pod.isDaemonSetPod
    }

    /// `spec.deletion.nodeDrainTimeoutSeconds` (v1beta2) or `spec.nodeDrainTimeout` (v1beta1, a Go
    /// duration); 0 when unset: wait as long as it takes.
    static func nodeDrainTimeout(of machine: JSONValue) -> TimeInterval {
        if let seconds = machine.at("spec", "deletion", "nodeDrainTimeoutSeconds")?.integer { return TimeInterval(seconds) }
        if let text = machine.at("spec", "nodeDrainTimeout")?.stringValue, let duration = try? KubeDuration(parsing: text) {
            return duration.seconds
        }
        return 0
    }
}
