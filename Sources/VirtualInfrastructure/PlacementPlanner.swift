import Foundation
import KubeAPI

/// Where one pending pod goes, decided against the scheduler's in-step view of the nodes.
enum PlacementDecision: Sendable, Hashable {
    case bind(node: String)
    /// Evict `victims` (pod keys) from `node`, then bind there.
    case preempt(node: String, victims: [String])
    case unschedulable(message: String)
}

/// A node as the scheduler sees it during one step: static fit facts plus the pods bound to it.
struct SchedulableNode: Sendable, Hashable {
    struct Occupant: Sendable, Hashable {
        var key: String
        var priority: Int
        var gpus: Int
        var created: String
    }

    var name: String
    var labels: [String: String]
    var taints: [Taint]
    var isReady: Bool
    var isCordoned: Bool
    var allocatableGPUs: Int
    var occupants: [Occupant]

    var freeGPUs: Int { allocatableGPUs - occupants.reduce(0) { $0 + $1.gpus } }
}

/// The default scheduler's filters (readiness, cordon, nodeSelector and node affinity, taints, whole-GPU fit), a
/// most-allocated score (fill nodes before starting new ones, like GPU clusters configure it) and
/// single-node preemption of strictly lower-priority pods, fewest and lowest victims first.
struct PlacementPlanner {
    var nodes: [SchedulableNode]

    func place(_ pod: Pod, priority: Int) -> PlacementDecision {
        let gpus = pod.gpuRequest
        var notReady = 0, cordoned = 0, selectorMismatch = 0, untolerated = 0, insufficient = 0
        var eligible: [SchedulableNode] = []
        for node in nodes {
            if !node.isReady { notReady += 1; continue }
            if node.isCordoned { cordoned += 1; continue }
            if !pod.matchesNode(labels: node.labels, name: node.name) { selectorMismatch += 1; continue }
            if !pod.tolerates(node.taints) { untolerated += 1; continue }
            eligible.append(node)
        }
        let fitting = eligible.filter { $0.freeGPUs >= gpus }
        if let best = fitting.min(by: { ($0.freeGPUs - gpus, $0.name) < ($1.freeGPUs - gpus, $1.name) }) {
            return .bind(node: best.name)
        }
        insufficient = eligible.count
        if let preemption = preemption(for: gpus, priority: priority, among: eligible) { return preemption }
        var reasons: [String] = []
        if insufficient > 0 { reasons.append("\(insufficient) Insufficient \(NodeShape.gpuResource)") }
        if notReady > 0 { reasons.append("\(notReady) node(s) had untolerated taint {node.kubernetes.io/not-ready: }") }
        if cordoned > 0 { reasons.append("\(cordoned) node(s) were unschedulable") }
        if selectorMismatch > 0 { reasons.append("\(selectorMismatch) node(s) didn't match Pod's node affinity/selector") }
        if untolerated > 0 { reasons.append("\(untolerated) node(s) had untolerated taint") }
        let summary = reasons.isEmpty ? "" : " " + reasons.joined(separator: ", ") + "."
        let tail = insufficient > 0 ? " preemption: 0/\(nodes.count) nodes are available: \(insufficient) No preemption victims found for incoming pod."
            : ""
        return .unschedulable(message: "0/\(nodes.count) nodes are available:\(summary)\(tail)")
    }

    /// The node where evicting the fewest lower-priority pods (lowest priority, then newest, first)
    /// frees enough GPUs; ties go to the lower highest-victim priority, then the name.
    private func preemption(for gpus: Int, priority: Int, among eligible: [SchedulableNode]) -> PlacementDecision? {
        var best: (node: String, victims: [SchedulableNode.Occupant])?
        for node in eligible {
            let candidates = node.occupants.filter { $0.priority < priority }
                .sorted { ($0.priority, $1.created, $1.key) < ($1.priority, $0.created, $0.key) }
            var free = node.freeGPUs
            var victims: [SchedulableNode.Occupant] = []
            for candidate in candidates where free < gpus {
                victims.append(candidate)
                free += candidate.gpus
            }
            guard free >= gpus, !victims.isEmpty else { continue }
            if let current = best {
                let better = (victims.count, victims.map(\.priority).max() ?? 0, node.name)
                    < (current.victims.count, current.victims.map(\.priority).max() ?? 0, current.node)
                if !better { continue }
            }
            best = (node.name, victims)
        }
        return best.map { .preempt(node: $0.node, victims: $0.victims.map(\.key)) }
    }
}
