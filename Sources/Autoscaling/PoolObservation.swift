import Foundation

/// What the drivers observed about a pool at one instant: demand in GPUs and the nodes that
/// serve it. The operator fills it from pods and Nodes; the simulator from its virtual pool.
public struct PoolObservation: Sendable, Hashable {
    /// GPUs requested by the pool's pods, running and pending: the reactive floor of every plan.
    public var demandGPUs: Double
    /// The part of `demandGPUs` that is pending (waiting for capacity).
    public var pendingGPUs: Double
    public var nodes: NodeCounts

    public init(demandGPUs: Double, pendingGPUs: Double = 0, nodes: NodeCounts) {
        self.demandGPUs = max(0, demandGPUs)
        self.pendingGPUs = max(0, pendingGPUs)
        self.nodes = nodes
    }
}

/// Nodes in the pool by state. `current` is what the pool holds now (ready and starting), the
/// number a scale-down is measured against.
public struct NodeCounts: Sendable, Hashable {
    public var ready: Int
    public var starting: Int
    /// Ready nodes with no GPU in use.
    public var idle: Int

    public init(ready: Int, starting: Int = 0, idle: Int = 0) {
        self.ready = max(0, ready)
        self.starting = max(0, starting)
        self.idle = max(0, idle)
    }

    public var current: Int { ready + starting }
}
