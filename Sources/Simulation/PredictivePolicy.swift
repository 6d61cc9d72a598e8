import Autoscaling
import Forecasting
import Foundation

/// Where the predictive policy gets its forecast. The production source learns from the demand it
/// has seen so far and refits on the operator's cadence; tests can plug in a known forecast.
public protocol ForecastSource: Sendable {
    /// Records the demand observed at `instant` (only ever the past and present).
    mutating func record(gpus: Double, at instant: Date)
    /// A forecast from `now` covering at least `horizon` seconds, or `nil` when there is none yet.
    mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast?
}

/// Fleetcast's own policy: the production planner fed by a forecast source and a lead time
/// estimated from the start-ups it has observed, exactly as the operator runs it.
public struct PredictivePolicy: ScalingPolicy {
    public var planner: Planner
    public var leadTime: LeadTimeEstimator
    public var source: any ForecastSource
    public private(set) var state = PlannerState()

    public init(planner: Planner, leadTime: LeadTimeEstimator, source: any ForecastSource) {
        self.planner = planner
        self.leadTime = leadTime
        self.source = source
    }

    public mutating func decide(_ context: PolicyContext) -> PolicyDecision {
        source.record(gpus: context.demandGPUs, at: context.now)
        let lead = leadTime.estimate(samples: context.recentStartups).leadTime
        let forecast = source.forecast(at: context.now, horizon: planner.requiredHorizon(leadTime: lead))
        let observation = PoolObservation(demandGPUs: context.demandGPUs, pendingGPUs: context.pendingGPUs, nodes: context.nodes)
        let plan = planner.plan(observation: observation, forecast: forecast, leadTime: lead, state: state, now: context.now)
        state = plan.state
        let binEnd = context.now.addingTimeInterval(planner.policy.step)
        return PolicyDecision(
            desiredNodes: plan.actuate ? plan.desiredNodes : context.nodes.current,
            forecastMean: forecast.map { $0.peakMean(from: context.now, to: binEnd) },
            forecastUpper: forecast.map { $0.peakUpper(from: context.now, to: binEnd) },
            planReason: plan.reason)
    }
}

/// A forecast source that already knows the future: each bin is the true peak demand. Used to test
/// the predictive path in isolation and to see how much of a gap is the forecast's fault.
public struct KnownFutureForecastSource: ForecastSource {
    public var trace: DemandTrace
    public var start: Date
    public var step: TimeInterval

    public init(trace: DemandTrace, start: Date, step: TimeInterval) {
        self.trace = trace
        self.start = start
        self.step = step
    }

    public mutating func record(gpus: Double, at instant: Date) {}

    public mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast? {
        let origin = now
        let count = max(1, Int((horizon / step).rounded(.up)))
        let points = (0..<count).map { index -> ForecastPoint in
            let binStart = origin.addingTimeInterval(Double(index) * step)
            let offset = binStart.timeIntervalSince(start)
            var peak = 0.0
            var t = offset
            while t < offset + step {
                peak = max(peak, trace.demand(at: t))
                t += max(1, min(trace.step, step))
            }
            return ForecastPoint(start: binStart, mean: peak, upper: peak)
        }
        return Forecast(model: "known-future", origin: origin, step: step, quantile: 1, readiness: .ready, points: points)
    }
}
