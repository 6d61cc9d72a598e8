import Forecasting
import Foundation

/// Everything Fleetcast decides for one pool, one step at a time: record demand, refit on the
/// forecast's cadence, forecast, estimate the lead time, plan, carry the planner's state.
///
/// This is the one loop both drivers run: the operator calls `step` once per reconcile with what its
/// informers observed, the simulator's predictive policy once per planning step with what its virtual
/// pool holds. Nothing else decides, so a what-if replay runs the code that runs in the cluster
/// (`DecisionLoopEquivalenceTests` replays a trace through both and compares every plan).
public struct DecisionLoop<Forecasts: ForecastSource>: Sendable {
    public var planner: Planner
    public var leadTime: LeadTimeEstimator
    /// The standby resume time (`spec.warmPool.standby.resume`): the prior until enough resumes are
    /// observed, then their quantile, estimated as the lead time is. Nil for a pool without standby.
    public var resume: LeadTimeEstimator?
    /// Where forecasts come from; `LearnedForecasts` in production, owning the demand history.
    public var forecasts: Forecasts
    /// Carried between steps (and persisted by the operator with the history).
    public var plannerState: PlannerState
    /// The pool's rises, for the learned warm share (`WarmPoolPolicy.learnedMaxPercent`).
    public var learnedWarm = LearnedWarmCapacity()

    public init(planner: Planner, leadTime: LeadTimeEstimator, forecasts: Forecasts, plannerState: PlannerState = PlannerState()) {
        self.planner = planner
        self.leadTime = leadTime
        self.forecasts = forecasts
        self.plannerState = plannerState
    }

    /// Decides for `now`.
    ///
    /// `observationFresh` false means the driver is blind (its caches stopped following the API
    /// server): demand is not recorded (a frozen picture is no evidence), the plan is still made so
    /// growth can happen, and a scale-down the driver must hold anyway is not remembered as one —
    /// the stabilization window restarts once observation is fresh again. `startups` are the
    /// start-up times the driver has observed, most recent last.
    public mutating func step(_ observation: PoolObservation, observationFresh: Bool, startups: [TimeInterval], now: Date) -> Decision {
        step(observation, observationFresh: observationFresh, startups: StartupSamples(nodeStartups: startups), now: now)
    }

    /// Decides for `now` with the start-up phases the driver measured too, so the lead time runs from
    /// asking for a node to a pod serving on it (`LeadTimeEstimator.estimate(_:)`).
    public mutating func step(_ observation: PoolObservation, observationFresh: Bool, startups: StartupSamples, now: Date) -> Decision {
        forecasts.advance(to: now)
        if observationFresh { forecasts.record(gpus: observation.demandGPUs, at: now) }
        let lead = leadTime.estimate(startups)
        let horizon = planner.requiredHorizon(leadTime: lead.leadTime)
        let forecast = forecasts.forecast(at: now, horizon: horizon)
        let previous = plannerState
        var effective = planner
        if let cap = effective.policy.warmPool.learnedMaxPercent {
            if observationFresh {
                learnedWarm.record(gpus: observation.demandGPUs, at: now, lead: lead.leadTime, floorGPUs: effective.policy.gpusPerNode)
            }
            effective.policy.warmPool.minIdlePercent = max(effective.policy.warmPool.minIdlePercent, learnedWarm.percent(cap: cap))
        }
        let resumeEstimate = resume?.estimate(samples: startups.resumes)
        let plan = effective.plan(observation: observation, forecast: forecast, leadTime: lead.leadTime,
                                  resumeTime: resumeEstimate?.leadTime, state: previous, now: now)
        plannerState = plan.state
        if !observationFresh {
            plannerState.scaleDownWantedSince = nil
            if plan.desiredNodes < observation.currentNodes {
                plannerState.lastScaleTime = previous.lastScaleTime
                plannerState.lastScaleDownTime = previous.lastScaleDownTime
            }
        }
        return Decision(observation: observation, forecast: forecast, lead: lead, resume: resumeEstimate, plan: plan, horizon: horizon)
    }
}

/// One step's decision and what it was made from, for status, metrics, reports and events.
public struct Decision: Sendable {
    public var observation: PoolObservation
    public var forecast: Forecast?
    public var lead: LeadTimeEstimate
    /// The resume time planned with, for a pool with a standby tier.
    public var resume: LeadTimeEstimate?
    public var plan: Plan
    /// How far ahead the forecast was asked to reach.
    public var horizon: TimeInterval
}
