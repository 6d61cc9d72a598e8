import Autoscaling
import ControllerRuntime
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI

/// An event the reconcile wants recorded about the pool (de-duplicated by the recorder).
struct PoolEvent: Sendable, Hashable {
    var type: EventType
    var reason: GPUPoolEventReason
    var message: String
}

/// Turns a reconcile's plan and actuation into the pool's status and events. Pure.
enum PoolStatusReport {
    static func build(
        pool: GPUPool, outcome: PoolPlanOutcome, actuation: Actuation, removal: NodeRemovalReport? = nil, overlaps: [String] = [],
        discovery: CronJobDiscovery? = nil, tuning: TuningStatus? = nil, tunedUse: TunedPlanning.Use = .noObjective, freshness: ObservationFreshness, prometheus: PrometheusOutcome? = nil, ownBins: Int = 0, lastScale: LastScaleStatus?, now: Date
    ) -> (status: GPUPoolStatus, events: [PoolEvent]) {
        let spec = pool.spec.withDefaults()
        let plan = outcome.plan
        var events: [PoolEvent] = prometheus?.events ?? []
        var conditions = PoolConditions(existing: pool.status?.conditions, generation: pool.metadata.generation, now: now)
        if let prometheus {
            prometheus.setCondition(&conditions, ownBins: ownBins)
        } else {
            conditions.conditions.removeAll { $0.type == GPUPoolConditionType.historyAvailable.rawValue }
        }
        conditions.setForecast(outcome.forecast?.readiness)
        conditions.setDiscovery(discovery)
        conditions.setTuned(tunedUse)
        let published = Self.tuning(tuning, use: tunedUse, previous: pool.status?.tuning)
        if let event = published.event { events.append(event) }
        conditions.setBudget(plan, spec: spec)
        if let message = conditions.setDemandRange(outcome.oversizedRequests, gpusPerNode: spec.nodes.gpusPerNode) {
            events.append(PoolEvent(type: .warning, reason: .demandOutOfRange, message: message))
        }

        switch actuation {
        case .forecastOnly:
            conditions.set(.scalingActive, .false, .forecastOnlyMode, "ForecastOnly mode: the plan is published, the target is not changed.")
            conditions.set(.ready, .true, .reconciled, plan.explanation)
        case .unchanged, .scaled, .heldWhileBlind:
            conditions.set(.scalingActive, .true, .scalingEnabled, "Scaling \(spec.target.kind) \(spec.target.name).")
            if let removal, removal.isBlocked {
                let message = blockedMessage(removal, plan: plan)
                conditions.set(.ready, .true, .scaleDownBlockedByBusyNodes, message)
                events.append(PoolEvent(type: .normal, reason: .scaleDownBlockedByBusyNodes, message: message))
            } else {
                conditions.set(.ready, .true, .reconciled, plan.explanation)
            }
        case .targetNotFound(let message):
            conditions.set(.scalingActive, .false, .targetNotFound, message)
            conditions.set(.ready, .false, .targetNotFound, message)
            events.append(PoolEvent(type: .warning, reason: .targetNotFound, message: message))
        case .targetConflict(let message):
            conditions.set(.scalingActive, .false, .targetConflict, message)
            conditions.set(.ready, .false, .targetConflict, message)
            events.append(PoolEvent(type: .warning, reason: .targetConflict, message: message))
        case .conflictingAutoscaler(let message):
            conditions.set(.scalingActive, .false, .conflictingAutoscaler, message)
            conditions.set(.ready, .false, .conflictingAutoscaler, message)
            events.append(PoolEvent(type: .warning, reason: .conflictingAutoscaler, message: message))
        case .invalidTarget(let message):
            conditions.set(.scalingActive, .false, .invalidSpec, message)
            conditions.set(.ready, .false, .invalidSpec, message)
            events.append(PoolEvent(type: .warning, reason: .invalidSpec, message: message))
        case .failed(let message):
            conditions.set(.scalingActive, .true, .scalingEnabled, "Scaling \(spec.target.kind) \(spec.target.name).")
            conditions.set(.ready, .false, .scaleFailed, message)
            events.append(PoolEvent(type: .warning, reason: .scaleFailed, message: message))
        }
        if case .failed(let message) = actuation {
            conditions.set(.degraded, .true, .apiError, message)
        } else if let message = freshness.degradedMessage {
            conditions.set(.degraded, .true, .observationStale, message)
        } else {
            conditions.set(.degraded, .false, .asExpected, "Observation is current.")
        }

        if overlaps.isEmpty {
            conditions.set(.nodesShared, .false, .nodesExclusive, "No other GPUPool selects this pool's nodes.")
        } else {
            let message = "GPUPool\(overlaps.count == 1 ? "" : "s") \(overlaps.joined(separator: ", ")) also select\(overlaps.count == 1 ? "s" : "") "
                + "some of this pool's nodes; both count them as their own."
            conditions.set(.nodesShared, .true, .nodeSelectorOverlap, message)
            events.append(PoolEvent(type: .warning, reason: .nodeSelectorOverlap, message: message))
        }

        var lastScale = lastScale
        if case .scaled(let from, let to) = actuation {
            let reason: GPUPoolEventReason = to > from ? .scaledUp : .scaledDown
            lastScale = LastScaleStatus(time: KubeTime.format(now), from: from, to: to, reason: reason.rawValue)
            let removing = removal.map { $0.removing.isEmpty ? "" : ", removing node\($0.removing.count == 1 ? "" : "s") \($0.removing.joined(separator: ", "))" } ?? ""
            let field = spec.effectiveSemantics == .minimumSize ? "minimum size (\(ClusterAutoscalerAnnotations.minSize))" : "replicas"
            events.append(PoolEvent(type: .normal, reason: reason,
                                    message: "Set \(spec.target.kind) \(spec.target.name) \(field) from \(from) to \(to)\(removing). \(plan.explanation)"))
        }
        if plan.reason == .scaleDownEmbargoed {
            events.append(PoolEvent(type: .normal, reason: .scaleDownEmbargoed, message: plan.explanation))
        }
        if plan.budgetLimited {
            events.append(PoolEvent(type: .warning, reason: .budgetLimited, message: plan.explanation))
        }
        if case .notReady(let why)? = outcome.forecast?.readiness {
            events.append(PoolEvent(type: .normal, reason: .forecastNotReady,
                                    message: "Forecast not ready (\(why.rawValue)); planning on current demand, schedules and the warm pool."))
        }
        var status = status(pool: pool, spec: spec, outcome: outcome, conditions: conditions.conditions, lastScale: lastScale,
                            discovery: discovery, now: now)
        status.tuning = published.status ?? pool.status?.tuning
        return (status, events)
    }

    private static func blockedMessage(_ removal: NodeRemovalReport, plan: Plan) -> String {
        let busy = removal.busy.isEmpty ? "" : " Busy: \(removal.busy.prefix(10).joined(separator: ", "))\(removal.busy.count > 10 ? ", ..." : "")."
        return "Scale-down wants \(removal.wanted) node\(removal.wanted == 1 ? "" : "s") removed but only \(removal.removing.count) "
            + "\(removal.removing.count == 1 ? "is" : "are") idle; nodes running pods are kept.\(busy) \(plan.explanation)"
    }

    /// Status of a pool whose spec cannot be acted on: only `Ready=False, InvalidSpec` and the reason.
    static func invalid(pool existing: GPUPoolStatus?, generation: Int64?, message: String, now: Date) -> (GPUPoolStatus, PoolEvent) {
        var conditions = PoolConditions(existing: existing?.conditions, generation: generation, now: now)
        conditions.set(.ready, .false, .invalidSpec, message)
        conditions.set(.scalingActive, .false, .invalidSpec, "Not scaling: the spec is invalid.")
        var status = existing ?? GPUPoolStatus()
        status.observedGeneration = generation
        status.conditions = conditions.conditions
        return (status, PoolEvent(type: .warning, reason: .invalidSpec, message: message))
    }

    private static func status(
        pool: GPUPool, spec: GPUPoolSpec, outcome: PoolPlanOutcome, conditions: [Condition], lastScale: LastScaleStatus?,
        discovery: CronJobDiscovery?, now: Date
    ) -> GPUPoolStatus {
        let observation = outcome.observation
        var forecastStatus: ForecastStatus?
        if let forecast = outcome.forecast {
            let end = now.addingTimeInterval(outcome.horizon)
            let peak = forecast.points.filter { $0.start < end }.max { $0.upper < $1.upper }
            forecastStatus = ForecastStatus(peakGPUs: peak.map { ($0.upper * 100).rounded() / 100 },
                                            peakAt: peak.map { KubeTime.format($0.start) },
                                            horizon: KubeDuration(seconds: outcome.horizon))
        }
        return GPUPoolStatus(
            observedGeneration: pool.metadata.generation,
            conditions: conditions,
            nodes: NodeCountsStatus(current: observation.nodes.current, ready: observation.nodes.ready,
                                    starting: observation.nodes.starting, desired: outcome.plan.desiredNodes,
                                    idle: observation.nodes.idle),
            demand: DemandStatus(gpus: Int(observation.demandGPUs.rounded()), pendingGPUs: Int(observation.pendingGPUs.rounded()),
                                 queuedGPUs: Int(outcome.queuedGPUs.rounded())),
            forecast: forecastStatus,
            nextSchedule: outcome.nextSchedule.map {
                NextScheduleStatus(name: $0.name, startsAt: KubeTime.format($0.start), gpus: Int($0.gpus.rounded()))
            },
            startup: StartupStatus(lead: outcome.lead),
            cost: CostStatus(spec: spec, runningNodes: observation.nodes.current, suspendedNodes: observation.standby.ready),
            lastScale: lastScale,
            // Empty rather than absent when discovery is off: status is merge-patched, and an absent
            // list would leave the last one in place.
            discoveredSchedules: discovery?.schedules.map(\.status) ?? [])
    }
}
