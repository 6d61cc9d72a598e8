import FleetcastAPI
import Forecasting

extension PoolGauges {
    /// The gauges of one reconcile, read from what it already computed: the observation and plan,
    /// the status it publishes (so metrics and `kubectl get` agree) and the current fit.
    init(outcome: PoolPlanOutcome, status: GPUPoolStatus, fitted: FittedDemandForecaster?) {
        let observation = outcome.observation
        self.init(
            demandGPUs: observation.demandGPUs,
            pendingGPUs: observation.pendingGPUs,
            forecastPeakGPUs: status.forecast?.peakGPUs,
            desiredNodes: outcome.plan.desiredNodes,
            readyNodes: observation.nodes.ready,
            startingNodes: observation.nodes.starting,
            idleNodes: observation.nodes.idle,
            leadTimeSeconds: outcome.lead.leadTime,
            hourlyCost: status.cost?.hourly,
            forecastCoverage: fitted.flatMap { fit in fit.scores.first { $0.model == fit.model }?.accuracy.coverage })
    }
}
