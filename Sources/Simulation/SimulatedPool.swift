import Autoscaling
import Foundation

/// One node in the simulated pool, from request to removal.
struct SimulatedNode {
    var id: Int
    var requestedAt: TimeInterval
    var readyAt: TimeInterval
    var isReady = false
    /// Cordoned: takes no new work and is removed once its last job finishes (job lists only).
    var draining = false
    /// GPUs in use by placed jobs (job lists) or by the fluid demand (demand series).
    var used: Double = 0
    var jobs = 0
    /// When the node last became idle, if it is ready and idle now.
    var idleSince: TimeInterval?
}

/// The simulated node pool: which nodes exist, which are ready, and what runs on them. Times are
/// seconds from the trace start. Removal prefers nodes that hurt least: starting nodes first
/// (cancelling a request), then the longest-idle ready nodes, then (demand series only) busy ones.
struct SimulatedPool {
    let gpusPerNode: Double
    private(set) var nodes: [SimulatedNode] = []
    private var nextID = 0

    init(gpusPerNode: Double) {
        self.gpusPerNode = gpusPerNode
    }

    var billedCount: Int { nodes.count }
    var readyCount: Int { nodes.reduce(0) { $0 + ($1.isReady ? 1 : 0) } }
    var startingCount: Int { nodes.reduce(0) { $0 + ($1.isReady ? 0 : 1) } }
    /// Nodes that count towards the pool's size (draining nodes are on their way out).
    var activeCount: Int { nodes.reduce(0) { $0 + ($1.draining ? 0 : 1) } }
    var readyGPUs: Double { Double(nodes.reduce(0) { $0 + ($1.isReady && !$1.draining ? 1 : 0) }) * gpusPerNode }

    /// Adds a node requested at `requestedAt` that becomes ready at `readyAt`; returns its id.
    mutating func request(at requestedAt: TimeInterval, readyAt: TimeInterval) -> Int {
        let id = nextID
        nextID += 1
        var node = SimulatedNode(id: id, requestedAt: requestedAt, readyAt: readyAt)
        if readyAt <= requestedAt {
            node.isReady = true
            node.idleSince = requestedAt
        }
        nodes.append(node)
        return id
    }

    /// Marks a node ready; returns its start-up duration, or nil when it was removed meanwhile.
    mutating func markReady(id: Int, at time: TimeInterval) -> TimeInterval? {
        guard let index = nodes.firstIndex(where: { $0.id == id }), !nodes[index].isReady else { return nil }
        nodes[index].isReady = true
        nodes[index].idleSince = time
        return time - nodes[index].requestedAt
    }

    /// Removes `count` nodes, least harmful first. With `onlyIdle` (job lists) busy nodes are cordoned
    /// instead and leave when empty. Returns how many nodes left or were cordoned.
    @discardableResult
    mutating func remove(_ count: Int, at time: TimeInterval, onlyIdle: Bool) -> Int {
        var remaining = count
        while remaining > 0 {
            if let index = removalCandidate(onlyIdle: onlyIdle) {
                nodes.remove(at: index)
            } else if onlyIdle, let index = nodes.lastIndex(where: { !$0.draining }) {
                nodes[index].draining = true
            } else {
                break
            }
            remaining -= 1
        }
        return count - remaining
    }

    /// Removes a specific node (the oracle's planned removal); a busy node in a job list is cordoned.
    mutating func remove(id: Int, onlyIdle: Bool) {
        guard let index = nodes.firstIndex(where: { $0.id == id }) else { return }
        if onlyIdle, nodes[index].jobs > 0 {
            if let idle = nodes.firstIndex(where: { $0.isReady && !$0.draining && $0.jobs == 0 }) {
                nodes.remove(at: idle)
            } else {
                nodes[index].draining = true
            }
        } else {
            nodes.remove(at: index)
        }
    }

    /// Removes up to `count` ready idle nodes, longest idle first, to suspend them into the standby
    /// tier; returns how many went.
    mutating func suspend(_ count: Int) -> Int {
        var taken = 0
        while taken < count {
            let idle = nodes.indices.filter { nodes[$0].isReady && !nodes[$0].draining && nodes[$0].used <= 1e-9 && nodes[$0].jobs == 0 }
            guard let longest = idle.min(by: { (nodes[$0].idleSince ?? 0, nodes[$0].id) < (nodes[$1].idleSince ?? 0, nodes[$1].id) }) else { break }
            nodes.remove(at: longest)
            taken += 1
        }
        return taken
    }

    private func removalCandidate(onlyIdle: Bool) -> Int? {
        if let starting = nodes.lastIndex(where: { !$0.isReady && !$0.draining }) { return starting }
        let idle = nodes.indices.filter { nodes[$0].isReady && !nodes[$0].draining && nodes[$0].used <= 1e-9 }
        if let longest = idle.min(by: { (nodes[$0].idleSince ?? 0, nodes[$0].id) < (nodes[$1].idleSince ?? 0, nodes[$1].id) }) {
            return longest
        }
        return onlyIdle ? nil : nodes.lastIndex(where: { !$0.draining })
    }

    /// Spreads fluid demand over ready nodes, oldest first, and updates which nodes are idle.
    mutating func fill(demand: Double, at time: TimeInterval) {
        var left = demand
        for index in nodes.indices where nodes[index].isReady {
            let take = min(gpusPerNode, max(0, left))
            left -= take
            setUsed(index, take, at: time)
        }
    }

    /// Idle durations of ready, idle, non-draining nodes at `time`.
    func idleDurations(at time: TimeInterval) -> [TimeInterval] {
        nodes.compactMap { node in
            guard node.isReady, !node.draining, node.used <= 1e-9, let since = node.idleSince else { return nil }
            return time - since
        }
    }

    /// First fit: the ids of nodes that can take `gpus` now (one node, or whole free nodes for jobs
    /// larger than a node), or nil when it does not fit.
    func placement(for gpus: Double) -> [Int]? {
        if gpus <= gpusPerNode + 1e-9 {
            guard let node = nodes.first(where: { $0.isReady && !$0.draining && gpusPerNode - $0.used >= gpus - 1e-9 }) else { return nil }
            return [node.id]
        }
        let wanted = NodeCapacity.nodes(forGPUs: gpus, gpusPerNode: gpusPerNode)
        let free = nodes.filter { $0.isReady && !$0.draining && $0.used <= 1e-9 }.prefix(wanted).map(\.id)
        return free.count == wanted ? free : nil
    }

    /// Puts a job's GPUs on the given nodes (one node, or whole nodes for a large job).
    mutating func place(_ gpus: Double, on ids: [Int], at time: TimeInterval) {
        var left = gpus
        for id in ids {
            guard let index = nodes.firstIndex(where: { $0.id == id }) else { continue }
            let take = min(gpusPerNode - nodes[index].used, left)
            left -= take
            nodes[index].jobs += 1
            setUsed(index, nodes[index].used + take, at: time)
        }
    }

    /// Releases a finished job's GPUs; removes draining nodes that became empty.
    mutating func release(_ gpus: Double, from ids: [Int], at time: TimeInterval) {
        var left = gpus
        for id in ids {
            guard let index = nodes.firstIndex(where: { $0.id == id }) else { continue }
            let give = min(nodes[index].used, left)
            left -= give
            nodes[index].jobs -= 1
            setUsed(index, max(0, nodes[index].used - give), at: time)
        }
        nodes.removeAll { $0.draining && $0.jobs == 0 }
    }

    private mutating func setUsed(_ index: Int, _ used: Double, at time: TimeInterval) {
        nodes[index].used = used
        if used > 1e-9 {
            nodes[index].idleSince = nil
        } else if nodes[index].idleSince == nil {
            nodes[index].idleSince = time
        }
    }
}
