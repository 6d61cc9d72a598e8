import FleetcastAPI
import Forecasting

extension PoolGauges {
    /// The gauges of one reconcile, read from what it already computed: the observation and plan,
    /// the status it publishes (so metrics and `kubectl get` agree) and the current fit.
    init(outcome: PoolPlanOutcome, status: GPUPoolStatus, fitted: FittedDemandForecaster?, gpusPerNode: Int) {
        let observation = outcome.observation
        let now = outcome.forecast?.points.first
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
            forecastCoverage: fitted.flatMap { fit in fit.scores.first { $0.model == fit.model }?.accuracy.coverage },
            gpusPerNode: gpusPerNode,
            forecastMeanGPUs: now?.mean,
            forecastUpperGPUs: now?.upper,
            forecastReady: fitted.map(\.readiness.isReady),
            forecastFittedAt: fitted.map(\.fittedAt.timeIntervalSince1970),
            warmNodes: outcome.plan.warmNodes,
            planReason: outcome.plan.reason)
        startupPhases = outcome.lead.phases
        standbyDesiredNodes = status.standby?.desired
        standbyReadyNodes = status.standby?.readyToResume
        standbyResumeSeconds = status.standby?.resumeTime?.seconds
        standbyResumeP50Seconds = status.standby?.resumeP50?.seconds
        standbyResumeP90Seconds = status.standby?.resumeP90?.seconds
    }
}
