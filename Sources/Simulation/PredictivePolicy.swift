import Autoscaling
import Forecasting
import Foundation

/// Fleetcast's own policy: the one decision loop the operator runs (`DecisionLoop`), asked once per
/// planning step with what the virtual pool holds. The production loop learns its forecasts
/// (`LearnedForecasts`); tests can plug in a source that knows the future.
public struct PredictivePolicy<Forecasts: ForecastSource>: ScalingPolicy {
    public var loop: DecisionLoop<Forecasts>

    public init(loop: DecisionLoop<Forecasts>) {
        self.loop = loop
    }

    public mutating func decide(_ context: PolicyContext) -> PolicyDecision {
        let observation = PoolObservation(demandGPUs: context.demandGPUs, pendingGPUs: context.pendingGPUs, nodes: context.nodes,
                                          requestedNodes: context.nodes.current, standby: context.standby)
        let startups = StartupSamples(nodeStartups: context.recentStartups, phases: context.recentPhases,
                                      resumes: context.recentResumes)
        let decision = loop.step(observation, observationFresh: true, startups: startups, now: context.now)
        let forecast = decision.forecast
        let binEnd = context.now.addingTimeInterval(loop.planner.policy.step)
        return PolicyDecision(
            desiredNodes: decision.plan.actuate ? decision.plan.desiredNodes : context.nodes.current,
            forecastMean: forecast.map { $0.peakMean(from: context.now, to: binEnd) },
            forecastUpper: forecast.map { $0.peakUpper(from: context.now, to: binEnd) },
            planReason: decision.plan.reason,
            standbyNodes: decision.plan.actuate ? decision.plan.standby?.nodes : nil)
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
