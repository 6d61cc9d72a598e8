import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import PoolPolicy

/// What the pool looks like right now, as read from the informer caches.
struct PoolSnapshot: Sendable {
    var pool: GPUPool
    /// The pool's demand pods (namespace and `spec.demand.pods.selector` already applied).
    var pods: [Pod]
    /// The pool's nodes (`spec.nodes.selector` already applied).
    var nodes: [KubeNode]
    /// The nodes not being deleted: the ones a scale-down counts and marks.
    var liveNodes: [KubeNode] { nodes.filter { $0.metadata.deletionTimestamp == nil } }
    /// The target's replicas as read before planning; nil when not read (ForecastOnly, or the read failed).
    var targetReplicas: Int? = nil
    /// Whether the caches are in sync with the API server; stale observation never scales down.
    var freshness: ObservationFreshness
    var now: Date
    /// `HistoryAndLive`: the pool's demand as Prometheus reports it now, replacing the pods' count.
    var liveDemandGPUs: Double? = nil
    /// `HistoryAndLive` and the live query failed: demand is unknown, so nothing is learned from this
    /// reconcile and no scale-down is made on it, exactly as while the caches are stale.
    var liveDemandFailed = false
    /// GPUs of the pool's Jobs a queue manager holds suspended: pending demand no pod shows yet.
    var queuedGPUs: Double = 0
    /// When each pool node's Cluster API Machine was created, by node name (MachineDeployment targets
    /// whose Machines could be read): the start of the provisioning phase.
    var machinesCreated: [String: Date] = [:]
    /// With a standby tier: the pool's suspended nodes (not in `nodes`, which counts running nodes
    /// only), and the standby nodes asked for but not suspended yet.
    var suspendedNodes: [KubeNode] = []
    var standby = StandbyCounts()

    var observationFresh: Bool { freshness.isFresh && !liveDemandFailed }
}

/// Everything decided for one reconcile, before actuation.
struct PoolPlanOutcome: Sendable {
    var decision: Decision
    var nextSchedule: ScheduledWindow?
    /// Pods whose request was capped at one node's GPUs (`DemandOutOfRange`).
    var oversizedRequests: [OversizedRequest] = []
    /// The part of the observation's pending demand from queued jobs.
    var queuedGPUs: Double = 0
    /// Standby resumes this reconcile observed (seconds each).
    var resumed: [TimeInterval] = []

    var observation: PoolObservation { decision.observation }
    var forecast: Forecast? { decision.forecast }
    var lead: LeadTimeEstimate { decision.lead }
    var plan: Plan { decision.plan }
    var horizon: TimeInterval { decision.horizon }
}

/// The operator's side of a decision: turn the informer caches' picture into the loop's
/// observation, learn start-ups while observation is fresh, and run the one decision loop
/// (`DecisionLoop.step`) the simulator runs too.
enum PoolPlanning {
    static func plan(_ snapshot: PoolSnapshot, memory: inout PoolMemory, settings: DecisionSettings) -> PoolPlanOutcome {
        let spec = snapshot.pool.spec.withDefaults()
        let resource = spec.effectiveDemandResource
        let now = snapshot.now
        let demand = DemandTally(pods: snapshot.pods, resource: resource, gpusPerNode: Double(spec.nodes.gpusPerNode))
        let demandGPUs = (snapshot.liveDemandGPUs ?? demand.gpus) + snapshot.queuedGPUs
        let observation = PoolObservation(
            demandGPUs: demandGPUs, pendingGPUs: demand.pendingGPUs + snapshot.queuedGPUs,
            nodes: NodeCounts(nodes: snapshot.nodes, pods: snapshot.pods, resource: resource),
            requestedNodes: snapshot.targetReplicas.map { settings.planner.requestedNodes(forReplicas: $0, demandGPUs: demandGPUs) },
            standby: snapshot.standby)
        var resumed: [TimeInterval] = []
        if snapshot.freshness.isFresh {
            memory.startups.observe(snapshot.nodes, resource: resource, now: now)
            memory.phases.observe(nodes: snapshot.nodes, pods: snapshot.pods, resource: resource,
                                  machinesCreated: snapshot.machinesCreated, now: now)
            if spec.warmPool?.standby != nil {
                resumed = memory.resumes.observe(nodes: snapshot.nodes + snapshot.suspendedNodes, pods: snapshot.pods, now: now)
            }
        }
        let startups = StartupSamples(nodeStartups: memory.startups.samples, phases: memory.phases.samples, resumes: memory.resumes.samples)
        let decision = memory.loop.step(observation, observationFresh: snapshot.observationFresh, startups: startups, now: now)
        return PoolPlanOutcome(decision: decision, nextSchedule: nextSchedule(settings.forecast.schedules, after: now),
                               oversizedRequests: demand.oversized, queuedGPUs: snapshot.queuedGPUs, resumed: resumed)
    }

    /// The schedule window that opens next (or is open now), however far ahead.
    static func nextSchedule(_ schedules: [ScheduledDemand], after now: Date) -> ScheduledWindow? {
        schedules.compactMap { $0.nextScheduledWindow(endingAfter: now) }.min { $0.start < $1.start }
    }
}
