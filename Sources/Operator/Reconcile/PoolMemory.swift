import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation
import PoolPolicy

/// What the operator remembers about one pool between reconciles: the decision loop (demand history,
/// last fit, planner state; the history and state are persisted in the pool's ConfigMap by
/// `PoolHistoryWriter`), the observed start-ups and their phases, and the last scale.
struct PoolMemory: Sendable {
    var loop: DecisionLoop<LearnedForecasts>
    var startups = StartupTracker()
    /// The start-up phases around and within node start-ups (Machine provisioning to pod Ready).
    var phases = StartupPhaseTracker()
    /// Resumes of the pool's standby nodes (`spec.warmPool.standby`), for the planner's resume time.
    var resumes = StandbyResumeTracker()
    /// What the last look at the pool's pre-pull DaemonSet found, so steady reconciles do not read it.
    var prePull: PrePullMemory?
    var lastScale: LastScaleStatus?
    /// Whether the persisted history has been read (once per pool per process).
    var restored = false
    /// The pool's backfill from Prometheus in this process (pools with `spec.demand.prometheus`).
    var backfill = BackfillMemory()
    /// When this process cordoned each node of the scale-down in progress (`VictimMarking`). Not kept
    /// across restarts: a new leader finds the cordons and lets them settle again, which only delays.
    var victimMarks: [String: Date] = [:]

    init(settings: DecisionSettings) {
        loop = DecisionLoop(settings)
    }

    var history: DemandHistory { loop.forecasts.history }

    /// Adopts a restored history (re-windowed when the pool's history window changed; dropped when
    /// its bin size differs, since bins cannot be re-binned faithfully) and the planner's state.
    mutating func adopt(restored stored: DemandHistory?, plannerState storedState: PlannerState?) {
        if let stored { loop.forecasts.adopt(restored: stored) }
        if let storedState { loop.plannerState = storedState }
        restored = true
    }

    /// What the pool's ConfigMap keeps: the history and the planner's state.
    var stored: StoredPoolMemory {
        StoredPoolMemory(history: history, plannerState: loop.plannerState)
    }
}
