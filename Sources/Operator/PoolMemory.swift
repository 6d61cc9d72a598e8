import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation

/// What the operator remembers about one pool between reconciles: the demand history (persisted in
/// the pool's ConfigMap), the last fit, the planner's carried state and the observed start-ups.
/// Created from the spec on first sight; recreated when the forecast's bin size changes.
struct PoolMemory: Sendable {
    var history: DemandHistory
    var fitted: FittedDemandForecaster?
    var plannerState = PlannerState()
    var startups = StartupTracker()
    var lastScale: LastScaleStatus?
    /// The history bin last written to the ConfigMap; a new bin means it is time to save again.
    var savedBin: Int?
    /// Whether the persisted history has been read (once per pool per process).
    var restored = false

    init(spec: GPUPoolSpec) {
        let spec = spec.withDefaults()
        history = DemandHistory(step: spec.effectiveStep.seconds, retention: spec.effectiveHistory.seconds)
    }

    /// Whether this memory was built for `spec`'s history layout.
    func fits(_ spec: GPUPoolSpec) -> Bool {
        let spec = spec.withDefaults()
        return history.step == spec.effectiveStep.seconds && history.retention == max(spec.effectiveHistory.seconds, history.step)
    }

    /// Adopts a restored history when its layout matches; a history of another layout is dropped
    /// (its bins cannot be re-binned faithfully) and the pool starts learning afresh.
    mutating func adopt(restored stored: DemandHistory?, plannerState storedState: PlannerState?) {
        if let stored, stored.step == history.step, stored.retention == history.retention {
            history = stored
        }
        if let storedState { plannerState = storedState }
        restored = true
    }

    /// Whether the bin containing `now` has not been saved yet.
    func needsSave(at now: Date) -> Bool {
        savedBin != history.binIndex(of: now)
    }
}
