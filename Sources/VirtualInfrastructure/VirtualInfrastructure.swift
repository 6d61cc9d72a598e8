import Foundation
import KubeAPI
import Sampling
import Traces
import VirtualCluster

/// What the simulated infrastructure consists of.
public struct InfrastructureConfiguration: Sendable, Hashable {
    public var pools: [NodePoolConfiguration]
    /// Seeds names, delays and everything else drawn at random: same seed, same history.
    public var seed: UInt64

    public init(pools: [NodePoolConfiguration] = [], seed: UInt64 = 1) {
        self.pools = pools
        self.seed = seed
    }
}

/// The simulated GPU cluster around a virtual API server: node pools driven by MachineDeployments,
/// Deployments → pods, a scheduler with preemption, pods that finish, a cluster-autoscaler-like node
/// autoscaler, and an optional trace-driven workload. Time only moves through `step(at:)`, so tests drive it with instants of their choosing
/// (minutes of cluster life in milliseconds) and `dev-cluster` calls it on the real clock.
public actor VirtualInfrastructure {
    /// The workload cluster: Nodes, pods, Deployments, CapacityBuffers, PodDisruptionBudgets.
    private let objects: ClusterObjects
    /// Where the MachineDeployments and Machines are: a Cluster API management cluster, or the
    /// workload cluster itself (a self-hosted cluster).
    private let machines: ClusterObjects
    private var nodePools: NodePoolController
    private var scheduler = PodScheduler()
    private var autoscaler: NodeAutoscaler
    private let deployments = DeploymentController()
    private let daemonSets = DaemonSetController()
    private let kueue = KueueAdmission()
    private var workload: WorkloadReplay?
    private var generator: SplitMix64
    /// Every event so far, in order.
    public private(set) var events: [InfrastructureEvent] = []
    /// The instant of the latest step, which is the infrastructure's "now".
    private var lastStep: Date?

    /// The pods Machine deletions have evicted or killed so far (`namespace/name`): for a training
    /// job each is a lost run, so tests of scale-down assert on it.
    public var podsDisruptedByScaleDown: [String] { events.podsDisruptedByScaleDown }

    /// - Parameter managementCluster: the cluster holding the MachineDeployments and Machines, as a
    ///   Cluster API management cluster does; its Machines reference the workload cluster's Nodes by
    ///   name (`status.nodeRef`), and the Nodes name their Machine and its namespace in annotations.
    ///   Nil keeps everything in `cluster`.
    public init(cluster: RunningVirtualCluster, managementCluster: RunningVirtualCluster? = nil, configuration: InfrastructureConfiguration) {
        objects = ClusterObjects(cluster: cluster)
        machines = ClusterObjects(cluster: managementCluster ?? cluster)
        nodePools = NodePoolController(pools: configuration.pools)
        autoscaler = NodeAutoscaler(pools: configuration.pools)
        scheduler.startup = PodStartup(pools: configuration.pools)
        generator = SplitMix64(seed: configuration.seed)
    }

    /// Creates the pools' MachineDeployments that do not exist yet. The MachineDeployment and
    /// Machine CRDs (hack/dev/crds) must be installed first.
    public func install() async throws {
        try await nodePools.install(machines)
    }

    /// Replays `workload` from the next step on (replacing any earlier one).
    public func replay(_ workload: WorkloadReplay) {
        self.workload = workload
    }

    /// Advances every controller to `now` (which must not go backwards) and returns the events of
    /// this step. Steps are level-triggered: each reads the cluster as it is, so objects changed
    /// by users (kubectl scale, annotate, delete) are picked up at the next step.
    @discardableResult
    public func step(at now: Date) async throws -> [InfrastructureEvent] {
        var context = StepContext(now: now, generator: generator)
        lastStep = now
        var pools = nodePools, scheduling = scheduler, replay = workload, nodeAutoscaler = autoscaler
        defer {
            autoscaler = nodeAutoscaler
            generator = context.generator
            nodePools = pools
            scheduler = scheduling
            workload = replay
            events += context.events
        }
        var pods = try await listPods()
        try await scheduling.advanceStarts(objects, pods: pods, context: &context)
        pods = try await listPods()
        _ = try await scheduling.finishCompleted(objects, pods: pods, context: &context)
        if replay != nil {
            try await replay?.reconcile(objects, pods: try await listPods(), context: &context)
        }
        try await deployments.reconcile(objects, pods: try await listPods(), context: &context)
        try await daemonSets.reconcile(objects, pods: try await listPods(), context: &context)
        try await kueue.reconcile(objects, context: &context)
        try await pools.reconcile(objects, machines: machines, pods: try await listPods(), context: &context)
        let priorities = try await PriorityResolver.load(objects)
        pods = try await listPods()
        try await scheduling.schedule(objects, pods: pods, priorities: priorities, context: &context)
        try await nodeAutoscaler.reconcile(objects, machines: machines, pods: try await listPods(), priorities: priorities, context: &context)
        return context.events
    }

    /// A one-line picture of the cluster for `dev-cluster`'s per-minute summary.
    public func summary() async throws -> ClusterSummary {
        let nodes = try await objects.list("/api/v1/nodes", as: KubeNode.self)
        let pods = try await listPods().filter { !$0.isTerminal }
        let running = pods.filter(\.isBound)
        let suspended = nodes.filter { StandbyNode($0).isSuspended(at: lastStep ?? .distantPast) }.count
        return ClusterSummary(
            nodesReady: nodes.filter(\.isReady).count, nodesStarting: nodes.filter { !$0.isReady }.count - suspended,
            nodesStandby: suspended,
            podsRunning: running.count, podsPending: pods.count - running.count,
            gpusDemanded: pods.reduce(0) { $0 + $1.gpuRequest }, gpusAllocated: running.reduce(0) { $0 + $1.gpuRequest },
            gpusAllocatable: nodes.reduce(0) { $0 + $1.allocatableGPUs },
            podsDisruptedByScaleDown: events.podsDisruptedByScaleDown.count)
    }

    private func listPods() async throws -> [Pod] {
        try await objects.list("/api/v1/pods", as: Pod.self)
    }
}

/// Counts for the per-minute summary line.
public struct ClusterSummary: Sendable, Hashable, CustomStringConvertible {
    public var nodesReady: Int
    public var nodesStarting: Int
    /// Nodes of standby buffers whose VMs are suspended (or still resuming).
    public var nodesStandby: Int = 0
    public var podsRunning: Int
    public var podsPending: Int
    public var gpusDemanded: Int
    public var gpusAllocated: Int
    public var gpusAllocatable: Int
    /// Pods evicted or killed by Machine deletions since the infrastructure started.
    public var podsDisruptedByScaleDown: Int = 0

    public var description: String {
        "nodes \(nodesReady) ready/\(nodesStarting) starting/\(nodesStandby) standby, pods \(podsRunning) running/\(podsPending) pending, "
            + "GPUs \(gpusDemanded) demanded/\(gpusAllocated) allocated/\(gpusAllocatable) allocatable, "
            + "\(podsDisruptedByScaleDown) pods disrupted by scale-down"
    }
}
