import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI

/// Builds the pool's conditions. `Array<Condition>.set` keeps `lastTransitionTime` when a status
/// does not change, so each reconcile can state every condition afresh.
struct PoolConditions {
    var generation: Int64?
    var now: Date
    var conditions: [Condition]

    init(existing: [Condition]?, generation: Int64?, now: Date) {
        self.conditions = existing ?? []
        self.generation = generation
        self.now = now
    }

    mutating func set(_ type: GPUPoolConditionType, _ status: ConditionStatus, _ reason: GPUPoolConditionReason, _ message: String) {
        conditions.set(Condition(
            type: type.rawValue, status: status, observedGeneration: generation,
            lastTransitionTime: KubeTime.format(now), reason: reason.rawValue, message: message))
    }

    /// ForecastReady from the forecast's readiness.
    mutating func setForecast(_ readiness: ForecastReadiness?) {
        switch readiness {
        case .ready:
            set(.forecastReady, .true, .forecastAvailable, "The learned forecast is used for planning.")
        case .notReady(let why):
            let reason: GPUPoolConditionReason = why == .insufficientHistory ? .insufficientHistory : .forecastNotReady
            set(.forecastReady, .false, reason,
                "Forecast not ready (\(why.rawValue)): planning on current demand, schedules and the warm pool.")
        case nil:
            set(.forecastReady, .false, .insufficientHistory, "No demand history yet.")
        }
    }

    /// SchedulesDiscovered from CronJob discovery: False naming every CronJob skipped because its
    /// schedule or time zone does not parse (the others still count), or because discovery is off.
    mutating func setDiscovery(_ discovery: CronJobDiscovery?) {
        guard let discovery else {
            set(.schedulesDiscovered, .false, .discoveryDisabled, "spec.discovery.cronJobs is Disabled: only declared schedules are used.")
            return
        }
        let found = discovery.schedules.count == 1 ? "1 CronJob is a schedule" : "\(discovery.schedules.count) CronJobs are schedules"
        if discovery.invalid.isEmpty {
            set(.schedulesDiscovered, .true, .cronJobsDiscovered, "\(found) of this pool.")
        } else {
            set(.schedulesDiscovered, .false, .invalidCronJob, "Skipped \(discovery.invalid.joined(separator: "; ")); \(found) of this pool.")
        }
    }

    /// DemandOutOfRange from the pods whose request was capped; returns the message when True.
    @discardableResult
    mutating func setDemandRange(_ oversized: [OversizedRequest], gpusPerNode: Int) -> String? {
        guard let first = oversized.first else {
            set(.demandOutOfRange, .false, .demandInRange, "Every demand pod fits on one node.")
            return nil
        }
        let others = oversized.count > 1 ? " and \(oversized.count - 1) more" : ""
        let message = "Pod \(first.pod)\(others) requests \(Self.describe(first.requested)) GPUs, more than one node holds "
            + "(spec.nodes.gpusPerNode \(gpusPerNode)); each such request is counted as \(gpusPerNode) GPUs."
        set(.demandOutOfRange, .true, .podRequestExceedsNode, message)
        return message
    }

    private static func describe(_ value: Double) -> String {
        value.isFinite && abs(value) < 1e15 ? String(format: "%.0f", value) : String(describing: value)
    }

    /// BudgetLimited: True when the budget capped the running nodes, or (with a standby tier, whose
    /// suspended nodes the budget pays at the standby price after the running ones) the standby nodes.
    mutating func setBudget(_ plan: Plan, spec: GPUPoolSpec) {
        guard spec.budget != nil, spec.nodes.hourlyCost != nil else {
            set(.budgetLimited, .false, .noBudget, "No budget is set.")
            return
        }
        if plan.budgetLimited {
            set(.budgetLimited, .true, .budgetLimited, "The budget caps the pool at \(plan.desiredNodes) nodes.")
        } else if let standby = plan.standby, standby.reason == .limitedByBudget {
            set(.budgetLimited, .true, .budgetLimited, "After \(plan.desiredNodes) running node\(plan.desiredNodes == 1 ? "" : "s"), "
                + "the budget pays for \(standby.nodes) standby node\(standby.nodes == 1 ? "" : "s") at the standby price.")
        } else {
            set(.budgetLimited, .false, .withinBudget, "The plan is within the budget.")
        }
    }
}
