import FleetcastAPI
import Foundation
import KubeAPI
import PoolPolicy
import Sampling
import Simulation
import Tuning

enum TuningFixture {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC

    /// A pool of 8-GPU nodes at 10 per node-hour, forecasting 5-minute bins over a 3-day history.
    static func spec(max: Int = 40, budget: Double? = nil, warmPool: WarmPoolSpec? = nil, forecastQuantile: Double? = nil,
                     stabilization: KubeDuration? = nil) -> GPUPoolSpec {
        GPUPoolSpec(
            nodes: NodesSpec(selector: LabelSelector(matchLabels: ["pool": "a"]), gpusPerNode: 8, max: max, hourlyCost: 10),
            target: ScaleTargetSpec(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineDeployment", name: "a"),
            demand: DemandSpec(pods: PodDemandSpec(selector: LabelSelector(matchLabels: ["pool": "a"]))),
            forecast: ForecastSpec(seasonalities: [.hours(24)], history: .hours(72), step: .minutes(5), quantile: forecastQuantile),
            warmPool: warmPool, startup: StartupSpec(expected: .minutes(6)),
            scaleDown: stabilization.map { ScaleDownSpec(stabilizationWindow: $0) },
            budget: budget.map { BudgetSpec(maxHourlyCost: $0) })
    }

    static func settings(_ spec: GPUPoolSpec = spec()) -> DecisionSettings {
        // The fixture's specs convert (they have no schedules); a failure here is a broken fixture.
        (try? DecisionSettings(spec: spec)) ?? { fatalError("fixture spec does not convert") }()
    }

    /// `days` of per-minute demand: a daily wave between 20 and 100 GPUs, and each day one burst of
    /// +40 GPUs for 20 minutes at a seeded time — what no forecast sees.
    static func demand(days: Int = 4, seed: UInt64 = 3) -> DemandTrace {
        var random = SplitMix64(seed: seed)
        var gpus: [Double] = []
        for _ in 0..<days {
            let burst = Int(random.uniform(120, 1300))
            for minute in 0..<1440 {
                let wave = 60 - 40 * cos(2 * Double.pi * Double(minute) / 1440)
                gpus.append((wave + (minute >= burst && minute < burst + 20 ? 40 : 0)).rounded())
            }
        }
        return DemandTrace(step: 60, gpus: gpus)
    }

    /// Tunes the last two of four days, replaying the day before them unscored.
    static func evaluator(_ spec: GPUPoolSpec = spec(), demand: DemandTrace = demand()) -> ReplayEvaluator {
        ReplayEvaluator(history: TuningHistory(demand: demand, start: start, replayFrom: 86_400, scoreFrom: 2 * 86_400),
                        base: settings(spec), startup: .fixed(360), seed: 1)
    }
}
