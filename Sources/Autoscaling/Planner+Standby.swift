import Forecasting
import Foundation

extension Planner {
    /// Plans a pool with a standby tier, splitting warm capacity three ways by how fast a rise comes:
    ///
    /// - **running** nodes cover the forecast's mean over the resume horizon (`resume + step`, demand now
    ///   as a floor) plus the warm pool: rises faster than a resume can only be met by nodes already
    ///   serving, and the forecast's uncertainty over so short a horizon is the warm pool's to cover;
    /// - **standby** nodes cover the rest of the need over the cold-start horizon (`lead + step`) at the
    ///   planned quantile: what the forecast adds within a start-up but not within a resume, and its
    ///   spread (planned quantile minus mean), which grows with the horizon. A rise there is met by
    ///   resuming them, and they cost a fraction of a running node while it does not come;
    ///   `standby.percent` and `standby.minNodes` are floors, `standby.maxNodes` a cap;
    /// - slower rises are left to the forecast: a node requested now arrives in time.
    ///
    /// Running nodes stand in for standby nodes that are not there: when fewer are ready to resume than
    /// the rise within a cold start needs, the difference is held running (`uncoveredNodes`). Running
    /// plus standby never exceed `maxNodes`, and the standby tier gets what the budget leaves after the
    /// running nodes, at its own price. When a resume is no faster than a cold start, or a standby
    /// node costs as much as a running one, the tier holds only `standby.minNodes` and the running plan
    /// is the running-only plan.
    func plan(standby: StandbyPolicy, observation: PoolObservation, forecast: Forecast?, leadTime: TimeInterval,
              resumeTime: TimeInterval, state: PlannerState, now: Date) -> Plan {
        let lead = max(0, leadTime)
        let resume = max(0, resumeTime)
        guard resume < lead, standby.costRatio < 1 else {
            var plan = planRunning(observation: observation, forecast: forecast, leadTime: lead, extraWarm: 0, state: state, now: now)
            let (nodes, capped) = limit(standby.minNodes, standby: standby, runningNodes: plan.desiredNodes)
            plan.standby = StandbyPlan(nodes: nodes, reason: capped ?? (resume >= lead ? .resumeNotFaster : .notCheaper),
                                       resumeTime: resume, runningGPUs: plan.neededGPUs, standbyGPUs: 0, uncoveredNodes: 0)
            plan.explanation += PlanExplanation.standbyClause(plan.standby, lead: lead)
            return plan
        }
        let useForecast = forecast?.readiness.isReady ?? false
        let coldEnd = now.addingTimeInterval(lead + policy.step)
        let coldNeed = DemandWindow.need(demandNow: observation.demandGPUs, forecast: forecast, useForecast: useForecast,
                                         from: now, to: coldEnd)
        let resumeNeed = DemandWindow.need(demandNow: observation.demandGPUs, forecast: forecast, useForecast: useForecast,
                                           from: now, to: now.addingTimeInterval(resume + policy.step), level: .mean)
        let rise = max(0, coldNeed.gpus - resumeNeed.gpus)
        let riseNodes = max(0, policy.nodes(forGPUs: coldNeed.gpus) - policy.nodes(forGPUs: resumeNeed.gpus))
        let uncovered = max(0, riseNodes - observation.standby.ready)
        var plan = planRunning(observation: observation, forecast: forecast, leadTime: resume, extraWarm: uncovered,
                               level: .mean, state: state, now: now)

        let forecastNodes = riseNodes
        let percentNodes = standby.percent > 0 ? policy.nodes(forGPUs: standby.percent / 100 * coldNeed.gpus) : 0
        var wanted = forecastNodes
        var reason = StandbyReason.coversForecastRise
        if percentNodes > wanted { (wanted, reason) = (percentNodes, .percentOfPlan) }
        if standby.minNodes > wanted { (wanted, reason) = (standby.minNodes, .minimum) }
        let (nodes, capped) = limit(wanted, standby: standby, runningNodes: plan.desiredNodes)
        plan.standby = StandbyPlan(nodes: nodes, reason: capped ?? reason, resumeTime: resume,
                                   runningGPUs: resumeNeed.gpus, standbyGPUs: rise, uncoveredNodes: uncovered)
        plan.explanation += PlanExplanation.standbyClause(plan.standby, lead: lead)
        return plan
    }

    /// `wanted` standby nodes within `standby.maxNodes`, the room `maxNodes` leaves beside the running
    /// nodes, and what the budget leaves after them; with the limit that bound, if one did.
    private func limit(_ wanted: Int, standby: StandbyPolicy, runningNodes: Int) -> (Int, StandbyReason?) {
        var nodes = wanted
        var reason: StandbyReason?
        if nodes > standby.maxNodes { (nodes, reason) = (standby.maxNodes, .limitedByStandbyMaximum) }
        let room = max(0, policy.maxNodes - runningNodes)
        if nodes > room { (nodes, reason) = (room, .limitedByMaximum) }
        if let budget = policy.maxHourlyCost, let price = policy.hourlyCost, price > 0, standby.costRatio > 0 {
            let left = max(0, budget - Double(runningNodes) * price)
            let affordable = Int(saturating: left / (price * standby.costRatio) + 1e-9, rounding: .down)
            if nodes > affordable { (nodes, reason) = (affordable, .limitedByBudget) }
        }
        return (max(0, nodes), reason)
    }
}
