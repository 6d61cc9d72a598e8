import Autoscaling
import Forecasting
import Foundation
import Sampling

/// Shared inputs for the planner tests: a fixed instant, a one-minute forecast built from a list of
/// upper-quantile values, and a policy with round numbers.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00:00 UTC

    static func policy(
        min: Int = 0, max: Int = 100, warm: (Int, Int?) = (1, nil),
        window: TimeInterval = 900, perStep: Int = 2,
        hourlyCost: Double? = nil, budget: Double? = nil,
        semantics: ReplicaSemantics = .totalNodes, mode: PlannerMode = .active
    ) -> PlannerPolicy {
        PlannerPolicy(
            mode: mode, gpusPerNode: 8, minNodes: min, maxNodes: max, semantics: semantics,
            warmPool: WarmPoolPolicy(minIdleNodes: warm.0, maxIdleNodes: warm.1),
            scaleDown: ScaleDownPolicy(stabilizationWindow: window, maxNodesPerStep: perStep),
            hourlyCost: hourlyCost, maxHourlyCost: budget, step: 60)
    }

    /// A forecast from `now` with one value per minute (mean = upper for simplicity).
    static func forecast(
        _ uppers: [Double], ready: Bool = true, windows: [ScheduledWindow] = [], origin: Date = now
    ) -> Forecast {
        Forecast(
            model: "fixture", origin: origin, step: 60, quantile: 0.95,
            readiness: ready ? .ready : .notReady(.insufficientHistory),
            points: uppers.enumerated().map { index, value in
                ForecastPoint(start: origin.addingTimeInterval(Double(index) * 60), mean: value, upper: value)
            },
            scheduledWindows: windows)
    }

    /// A forecast that is flat at `base` except `peak` GPUs during minutes `peakMinutes`.
    static func forecast(base: Double, peak: Double, at peakMinutes: Range<Int>, length: Int = 60, ready: Bool = true) -> Forecast {
        forecast((0..<length).map { peakMinutes.contains($0) ? peak : base }, ready: ready)
    }

    static func observation(demand: Double, ready: Int, starting: Int = 0, pending: Double = 0) -> PoolObservation {
        PoolObservation(demandGPUs: demand, pendingGPUs: pending, nodes: NodeCounts(ready: ready, starting: starting))
    }

    static func minutes(_ value: Double) -> TimeInterval { value * 60 }
}
