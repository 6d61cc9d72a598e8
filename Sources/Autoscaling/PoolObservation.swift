import Foundation

/// What the drivers observed about a pool at one instant: demand in GPUs and the nodes that
/// serve it. The operator fills it from pods and Nodes; the simulator from its virtual pool.
public struct PoolObservation: Sendable, Hashable {
    /// GPUs requested by the pool's pods, running and pending: the reactive floor of every plan.
    public var demandGPUs: Double
    /// The part of `demandGPUs` that is pending (waiting for capacity).
    public var pendingGPUs: Double
    public var nodes: NodeCounts
    /// The pool size the target is already asked for, in nodes (a MachineDeployment's replicas; for a
    /// Headroom target, its replicas plus the nodes current demand fills), when the driver read it.
    ///
    /// Decisions are measured against what was asked for, not against the nodes counted: a node being
    /// removed is still counted until it is gone, and measuring against it makes the plan that just
    /// lowered the target read as "below current" once more and undo itself (a scale-down flap).
    public var requestedNodes: Int?
    /// The standby tier's nodes (`spec.warmPool.standby`): suspended and ready to resume, or being set
    /// up. Zero for a pool without one. Not part of `nodes`, which counts running nodes only.
    public var standby: StandbyCounts

    public init(demandGPUs: Double, pendingGPUs: Double = 0, nodes: NodeCounts, requestedNodes: Int? = nil,
                standby: StandbyCounts = StandbyCounts()) {
        self.demandGPUs = demandGPUs.isFinite ? max(0, demandGPUs) : 0
        self.pendingGPUs = pendingGPUs.isFinite ? max(0, pendingGPUs) : 0
        self.nodes = nodes
        self.requestedNodes = requestedNodes.map { max(0, $0) }
        self.standby = standby
    }

    /// The size every scale decision is measured against: what the target asks for when known,
    /// else the nodes the pool holds (ready and starting).
    public var currentNodes: Int { requestedNodes ?? nodes.current }
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
