import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI

/// What the pool looks like right now, as read from the informer caches.
struct PoolSnapshot: Sendable {
    var pool: GPUPool
    /// The pool's demand pods (namespace and `spec.demand.pods.selector` already applied).
    var pods: [Pod]
    /// The pool's nodes (`spec.nodes.selector` already applied).
    var nodes: [KubeNode]
    /// The target's replicas as read before planning; nil when not read (ForecastOnly, or the read failed).
    var targetReplicas: Int? = nil
    /// Whether the caches are in sync with the API server; stale observation never scales down.
    var freshness: ObservationFreshness
    var now: Date

    var observationFresh: Bool { freshness.isFresh }
}

/// Everything decided for one reconcile, before actuation.
struct PoolPlanOutcome: Sendable {
    var observation: PoolObservation
    var forecast: Forecast?
    var lead: LeadTimeEstimate
    var plan: Plan
    var horizon: TimeInterval
    var nextSchedule: ScheduledWindow?
    /// Pods whose request was capped at one node's GPUs (`DemandOutOfRange`).
    var oversizedRequests: [OversizedRequest] = []
}

/// The decision step of a reconcile, pure: records demand, refits on the forecast's cadence,
/// forecasts, estimates the lead time and plans. `tick` is how often the operator reconciles,
/// the planner's step.
enum PoolPlanning {
    static func plan(_ snapshot: PoolSnapshot, memory: inout PoolMemory, tick: TimeInterval) -> PoolPlanOutcome {
        let spec = snapshot.pool.spec.withDefaults()
        let resource = spec.effectiveDemandResource
        let now = snapshot.now
        let demand = DemandTally(pods: snapshot.pods, resource: resource, gpusPerNode: Double(spec.nodes.gpusPerNode))
        let planner = Planner(policy: PlannerPolicy(spec: spec, step: tick))
        let observation = PoolObservation(
            demandGPUs: demand.gpus, pendingGPUs: demand.pendingGPUs,
            nodes: NodeCounts(nodes: snapshot.nodes, pods: snapshot.pods, resource: resource),
            requestedNodes: snapshot.targetReplicas.map { planner.policy.requestedNodes(forReplicas: $0, demandGPUs: demand.gpus) })

        memory.history.advance(to: now)
        if snapshot.observationFresh {
            memory.history.record(gpus: demand.gpus, at: now)
            memory.startups.observe(snapshot.nodes, resource: resource, now: now)
        }
        let configuration = ForecastConfiguration(spec: spec)
        if memory.fitted.map({ now.timeIntervalSince($0.fittedAt) >= configuration.step || $0.configuration != configuration }) ?? true {
            memory.fitted = DemandForecaster(configuration: configuration)
                .fit(history: memory.history, at: now, updating: memory.fitted)
        }

        let lead = LeadTimeEstimator(spec: spec).estimate(samples: memory.startups.samples)
        let horizon = planner.requiredHorizon(leadTime: lead.leadTime)
        let forecast = memory.fitted?.forecast(at: now, horizon: horizon)
        let state = memory.plannerState
        let plan = planner.plan(observation: observation, forecast: forecast, leadTime: lead.leadTime, state: state, now: now)
        memory.plannerState = plan.state
        if !snapshot.observationFresh {
            // Time spent blind is no evidence that demand stayed low: the stabilization window starts
            // again once the caches are back in sync. A scale-down is held (see `Actuation`), so it
            // did not happen and is not the last scale.
            memory.plannerState.scaleDownWantedSince = nil
            if plan.desiredNodes < observation.currentNodes {
                memory.plannerState.lastScaleTime = state.lastScaleTime
                memory.plannerState.lastScaleDownTime = state.lastScaleDownTime
            }
        }
        return PoolPlanOutcome(observation: observation, forecast: forecast, lead: lead, plan: plan, horizon: horizon,
                               nextSchedule: nextSchedule(configuration.schedules, after: now),
                               oversizedRequests: demand.oversized)
    }

    /// The schedule window that opens next (or is open now), however far ahead.
    static func nextSchedule(_ schedules: [ScheduledDemand], after now: Date) -> ScheduledWindow? {
        schedules.compactMap { schedule -> ScheduledWindow? in
            guard let window = schedule.window.nextWindow(endingAfter: now) else { return nil }
            return ScheduledWindow(name: schedule.name, start: window.start, end: window.end, gpus: schedule.gpus)
        }.min { $0.start < $1.start }
    }
}
