import Foundation
import KubeAPI

/// Learns how long the pool's nodes take from creation to GPU-allocatable, the lead time the planner
/// plans with. A node contributes one sample, when it is first seen useful: the later of its Ready
/// transition and the moment the operator saw GPUs appear (only known when the operator watched it
/// start). Nodes already useful when first seen count from creation to Ready. Keeps the most recent
/// `capacity` samples, so the estimate follows the cloud's current behaviour.
struct StartupTracker: Sendable, Hashable {
    var capacity = 50
    /// Nodes seen not yet useful, by uid.
    private var starting: Set<String> = []
    /// Nodes already sampled, by uid (bounded with the samples).
    private var sampled: [String] = []
    private(set) var samples: [TimeInterval] = []

    init(capacity: Int = 50) {
        self.capacity = max(1, capacity)
    }

    mutating func observe(_ nodes: [KubeNode], resource: String, now: Date) {
        for node in nodes {
            guard let uid = node.metadata.uid ?? node.metadata.name, !sampled.contains(uid) else { continue }
            guard NodeReadiness.isUseful(node, resource: resource) else {
                starting.insert(uid)
                continue
            }
            guard let created = node.metadata.creationTimestamp.flatMap(KubeTime.parse),
                  let readyAt = NodeReadiness.readySince(node) else { continue }
            let usefulAt = starting.remove(uid) != nil ? max(readyAt, now) : readyAt
            record(usefulAt.timeIntervalSince(created), uid: uid)
        }
    }

    private mutating func record(_ sample: TimeInterval, uid: String) {
        guard sample.isFinite, sample >= 0 else { return }
        samples.append(sample)
        sampled.append(uid)
        if samples.count > capacity {
            samples.removeFirst(samples.count - capacity)
            sampled.removeFirst(sampled.count - capacity)
        }
    }
}
