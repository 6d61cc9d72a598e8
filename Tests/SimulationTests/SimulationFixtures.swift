import Autoscaling
import Forecasting
import Foundation
import Sampling
import Simulation

enum SimFixture {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC

    static func policy(gpusPerNode: Double = 8, max: Int = 10, warm: Int = 0, window: TimeInterval = 0,
                       hourlyCost: Double? = 10) -> PlannerPolicy {
        PlannerPolicy(gpusPerNode: gpusPerNode, minNodes: 0, maxNodes: max,
                      warmPool: WarmPoolPolicy(minIdleNodes: warm),
                      scaleDown: ScaleDownPolicy(stabilizationWindow: window, maxNodesPerStep: 2),
                      hourlyCost: hourlyCost, step: 60)
    }

    /// A setup whose predictive policy sees the true future (so the planner, not a model, is tested).
    static func setup(_ workload: Workload, policy: PlannerPolicy = policy(), startup: DelayDistribution = .fixed(120),
                      lead: TimeInterval = 120, warmup: TimeInterval = 0, seed: UInt64 = 1, record: Bool = false) -> SimulationSetup {
        let ideal: DemandTrace
        switch workload {
        case .demand(let trace): ideal = trace
        case .jobs: ideal = DemandTrace(step: 60, gpus: [])
        }
        return SimulationSetup(
            workload: workload, start: start, planner: policy,
            leadTime: LeadTimeEstimator(prior: lead, quantile: 0.9, minimumSamples: 1_000_000),
            startup: startup, warmup: warmup, seed: seed, recordSteps: record,
            makeForecastSource: { KnownFutureForecastSource(trace: ideal, start: start, step: 60) })
    }

    static func close(_ a: Double?, _ b: Double?, tolerance: Double = 1e-9) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= tolerance
    }
}
