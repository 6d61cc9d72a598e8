import Forecasting
import Foundation

/// The decision core shared by the operator and the simulator: from policy, observation, forecast,
/// lead time, carried state and the current instant to a `Plan`. Pure and deterministic, so the
/// simulator's verdict on a policy is a verdict on the code that will run in the cluster.
public struct Planner: Sendable, Hashable {
    public var policy: PlannerPolicy

    public init(policy: PlannerPolicy) {
        self.policy = policy
    }

    /// How far ahead the forecast handed to `plan` must reach: the scale-up window
    /// (`lead + step`) and the scale-down embargo, which looks one lead time further.
    public func requiredHorizon(leadTime: TimeInterval) -> TimeInterval {
        2 * max(0, leadTime) + 2 * policy.step
    }

    /// Plans the pool for `now`.
    ///
    /// The need is the maximum demand over `[now, now + lead + step)`: nodes requested now are
    /// useful only after the lead time, and the next decision is one step away. Demand now is a floor,
    /// and when it exceeds the forecast for now, the whole window is raised by the difference. Scale-up happens at
    /// once; scale-down waits for the stabilization window (except for idle nodes above
    /// `warmPool.maxIdleNodes`), moves at most `maxNodesPerStep`, and is
    /// embargoed while the demand over `[now, now + 2·lead + step)` needs the nodes again (a node
    /// removed now could not be back in time). Limits apply last: the maximum, then the budget,
    /// which wins over everything and forces an immediate scale-down when the pool is over it. A `cap`
    /// schedule window open now limits the pool like the maximum, winning over the warm pool and the
    /// minimum, but never below the nodes running work: it stops growth and releases idle nodes only.
    ///
    /// With a standby tier (`policy.standby`) and a `resumeTime`, the running nodes are planned over the
    /// resume horizon instead and the standby tier over the cold-start horizon (`plan(standby:…)`);
    /// without one the plan is exactly the running-only plan.
    public func plan(
        observation: PoolObservation,
        forecast: Forecast?,
        leadTime: TimeInterval,
        resumeTime: TimeInterval? = nil,
        state: PlannerState,
        now: Date
    ) -> Plan {
        if let standby = policy.standby, let resumeTime {
            return plan(standby: standby, observation: observation, forecast: forecast, leadTime: leadTime,
                        resumeTime: resumeTime, state: state, now: now)
        }
        return planRunning(observation: observation, forecast: forecast, leadTime: leadTime, extraWarm: 0, state: state, now: now)
    }

    /// The running nodes for `now`, planned as if a node took `leadTime` to serve, holding `extraWarm`
    /// idle nodes on top of the warm pool (those the standby tier cannot cover).
    func planRunning(
        observation: PoolObservation,
        forecast: Forecast?,
        leadTime: TimeInterval,
        extraWarm: Int,
        level: DemandWindow.Level = .upper,
        state: PlannerState,
        now: Date
    ) -> Plan {
        let lead = max(0, leadTime)
        let useForecast = forecast?.readiness.isReady ?? false
        let need = DemandWindow.need(
            demandNow: observation.demandGPUs, forecast: forecast, useForecast: useForecast,
            from: now, to: now.addingTimeInterval(lead + policy.step), level: level)
        let warm = policy.warmPool.idleNodes(forNeededGPUs: need.gpus, gpusPerNode: policy.gpusPerNode) + max(0, extraWarm)
        let neededNodes = policy.nodes(forGPUs: need.gpus)
        let limits = NodeLimits(policy: policy, schedule: ScheduleCap.open(in: forecast, at: now, observation: observation))
        let uncapped = max(neededNodes + warm, policy.minNodes)
        let target = limits.cap(uncapped)
        let current = observation.currentNodes

        var decision = ScaleDecision(desired: target, reason: .steady, embargo: nil, wantedSince: nil)
        if target > current {
            decision.reason = scaleUpReason(need: need, neededNodes: neededNodes, warm: warm, current: current, target: target)
        } else if target < current {
            decision = scaleDown(
                current: current, target: target, limits: limits, warm: warm, lead: lead, level: level,
                observation: observation, forecast: forecast, useForecast: useForecast, state: state, now: now)
        }
        if decision.desired == target, target < uncapped, decision.embargo == nil {
            decision.reason = limits.reason(for: uncapped)
        }

        let desired = decision.desired
        let fills = policy.nodes(forGPUs: observation.demandGPUs)
        let replicas = policy.semantics == .totalNodes ? desired : max(0, desired - fills)
        let nextState = PlannerState(
            scaleDownWantedSince: decision.wantedSince,
            lastScaleTime: desired != current ? now : state.lastScaleTime,
            lastScaleDownTime: desired < current ? now : state.lastScaleDownTime)
        let budgetLimited = limits.budget.map { uncapped > $0 && desired == $0 } ?? false
        let explanation = PlanExplanation.sentence(
            reason: decision.reason, desired: desired, current: current, need: need,
            embargo: decision.embargo, lead: lead, usedForecast: useForecast, warm: warm, scheduleCap: limits.schedule,
            stabilizationRemaining: decision.wantedSince.map {
                max(0, policy.scaleDown.stabilizationWindow - now.timeIntervalSince($0))
            } ?? 0,
            arrival: level == .mean ? .resume : .coldStart,
            now: now)
        // Under a cap window, only the idle nodes the cap leaves are warm: none are protected from
        // another autoscaler's scale-down that the cap itself wants gone.
        let heldWarm = limits.schedule == nil ? warm : min(warm, max(0, desired - neededNodes))
        return Plan(
            desiredNodes: desired, replicas: replicas, neededNodes: neededNodes, neededGPUs: need.gpus,
            warmNodes: heldWarm, actuate: policy.mode == .active, reason: decision.reason, driver: need.driver,
            explanation: explanation, embargo: decision.embargo, budgetLimited: budgetLimited,
            usedForecast: useForecast, leadTime: lead, standby: nil, state: nextState)
    }

    private func scaleUpReason(need: DemandNeed, neededNodes: Int, warm: Int, current: Int, target: Int) -> PlanReason {
        if policy.minNodes >= target, policy.minNodes > neededNodes + warm {
            return .scaleUpToMinimum
        }
        if neededNodes <= current { return .scaleUpForWarmPool }
        switch need.driver {
        case .currentDemand, .none: return .scaleUpForDemand
        case .forecast: return .scaleUpForForecast
        case .schedule: return .scaleUpForSchedule
        }
    }

    private func scaleDown(
        current: Int, target: Int, limits: NodeLimits, warm: Int, lead: TimeInterval, level: DemandWindow.Level,
        observation: PoolObservation, forecast: Forecast?, useForecast: Bool, state: PlannerState, now: Date
    ) -> ScaleDecision {
        // Over the maximum or the budget: shrink to the limit at once, without waiting.
        let start = limits.cap(current)
        let forcedReason = start < current ? limits.reason(for: current) : nil
        let since = state.scaleDownWantedSince ?? now
        guard target < start else {
            return ScaleDecision(desired: start, reason: forcedReason ?? .scaleDown, embargo: nil, wantedSince: nil)
        }
        // Idle nodes above the warm pool's cap may go before the window is over — except around a
        // declared schedule that is open or opens within the lead time: its pods are about to take
        // those nodes, and demand observed at the window's first seconds does not show them yet.
        let scheduleImminent = forecast?.scheduledWindows.contains {
            $0.raisesDemand && $0.end > now && $0.start <= now.addingTimeInterval(lead)
        } ?? false
        let excessIdle = scheduleImminent ? 0 : policy.warmPool.maxIdleNodes.map { max(0, observation.nodes.idle - $0) } ?? 0
        let stabilizing = now.timeIntervalSince(since) < policy.scaleDown.stabilizationWindow
        if stabilizing, excessIdle == 0 {
            return ScaleDecision(desired: start, reason: forcedReason ?? .scaleDownStabilizing, embargo: nil, wantedSince: since)
        }
        let later = DemandWindow.need(
            demandNow: observation.demandGPUs, forecast: forecast, useForecast: useForecast,
            from: now, to: now.addingTimeInterval(2 * lead + policy.step), level: level)
        let keep = limits.cap(max(policy.nodes(forGPUs: later.gpus) + warm, policy.minNodes))
        let stepFloor = start - (stabilizing ? min(excessIdle, policy.scaleDown.maxNodesPerStep) : policy.scaleDown.maxNodesPerStep)
        let desired = min(start, max(target, keep, stepFloor))
        var embargo: ScaleDownEmbargo?
        if keep > target, keep > stepFloor {
            var schedule: String?
            if case .schedule(let name, _) = later.driver { schedule = name }
            embargo = ScaleDownEmbargo(nodesNeeded: keep, neededAt: later.peakAt, schedule: schedule)
        }
        if desired < start, let last = state.lastScaleDownTime, now.timeIntervalSince(last) < Self.pacing * policy.step {
            return ScaleDecision(desired: start, reason: forcedReason ?? .scaleDownPaced, embargo: nil, wantedSince: since)
        }
        let reason: PlanReason = desired < start ? .scaleDown : (forcedReason ?? .scaleDownEmbargoed)
        return ScaleDecision(desired: desired, reason: reason, embargo: embargo, wantedSince: desired > target ? since : nil)
    }
}

extension Planner {
    /// Share of a step that must pass between two scale-downs. Below 1 so that a driver whose ticks
    /// drift a little early (a requeue after 30 s firing at 29.9 s) is not held for a whole extra step.
    static let pacing = 0.9
}

/// The intermediate result of the scale-up/scale-down rules, before replicas and explanation.
private struct ScaleDecision {
    var desired: Int
    var reason: PlanReason
    var embargo: ScaleDownEmbargo?
    var wantedSince: Date?
}

/// The pool's hard limits: the maximum node count, the node count the budget pays for, and a `cap`
/// schedule window open now. The budget wins over everything; the maximum and a schedule cap win
/// over the minimum and the warm pool.
struct NodeLimits {
    var maximum: Int
    var budget: Int?
    var schedule: ScheduleCap?

    init(policy: PlannerPolicy, schedule: ScheduleCap? = nil) {
        maximum = max(0, policy.maxNodes)
        budget = policy.budgetNodeLimit
        self.schedule = schedule
    }

    func cap(_ nodes: Int) -> Int {
        min(nodes, maximum, budget ?? Int.max, schedule?.limit ?? Int.max)
    }

    /// The reason naming whichever limit binds `nodes` (the budget when it is among them, then a
    /// schedule cap, then the maximum).
    func reason(for nodes: Int) -> PlanReason {
        let scheduleLimit = schedule?.limit ?? Int.max
        if let budget, nodes > budget, budget <= maximum, budget <= scheduleLimit { return .limitedByBudget }
        if nodes > scheduleLimit, scheduleLimit <= maximum { return .limitedBySchedule }
        return .limitedByMaximum
    }
}

/// The `cap` schedule window that binds now, and the limit it sets: its node count, raised to the
/// nodes that run work, because a cap never drains a busy node.
struct ScheduleCap: Sendable, Hashable {
    var name: String
    var nodes: Int
    var until: Date
    /// `max(nodes, busy nodes)`: what the plan may hold at most.
    var limit: Int

    /// The tightest cap window open at `now` in `forecast`, or nil when none is.
    static func open(in forecast: Forecast?, at now: Date, observation: PoolObservation) -> ScheduleCap? {
        let open = forecast?.scheduledWindows.filter { $0.mode == .cap && $0.isOpen(at: now) } ?? []
        guard let tightest = open.min(by: { ($0.capNodes ?? 0, $0.end) < ($1.capNodes ?? 0, $1.end) }) else { return nil }
        let nodes = max(0, tightest.capNodes ?? 0)
        let busy = max(0, observation.nodes.ready - observation.nodes.idle)
        return ScheduleCap(name: tightest.name, nodes: nodes, until: tightest.end, limit: max(nodes, busy))
    }
}
