import Autoscaling
import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Forecasting
import Foundation
import KubeAPI
import PoolPolicy
import Simulation
import Testing
@testable import Operator

/// The promise that makes the simulator worth trusting (issue #17): the what-if runs the code that
/// runs in the cluster. A trace is replayed through `fleetcast simulate`'s predictive policy and,
/// step by step, through the operator's reconciler (fakes and a manual clock), and both must make
/// the same plan at every step.
@Suite struct DecisionLoopEquivalenceTests {
    /// Two and a half days of one-minute demand: a daily swing, noise and a few bursts, in whole GPUs
    /// (pods request whole GPUs).
    static func demand(minutes: Int) -> [Double] {
        var state: UInt64 = 42
        func random() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<minutes).map { minute in
            let day = sin(2 * Double.pi * Double(minute) / 1_440)
            let burst = minute % 977 < 25 ? 24.0 : 0
            return max(0, (40 + 28 * day + 6 * random() + burst).rounded())
        }
    }

    static func pool() -> GPUPool {
        var pool = makePool(max: 20, schedules: [ScheduleSpec(name: "retrain", cron: "0 2 * * *", duration: .hours(1), gpus: 16)],
                            startup: .minutes(12), stabilization: .minutes(10))
        pool.spec.forecast = ForecastSpec(seasonalities: [.hours(24)], history: .hours(48), step: .minutes(5), quantile: 0.9)
        pool.spec.warmPool = WarmPoolSpec(minIdleNodes: 1, maxIdleNodes: nil)
        return pool
    }

    /// Records the reasons of the target writes the reconciler makes.
    final class ScaleReasons: PoolMetricsRecorder {
        let reasons = LockedValue<[PlanReason]>([])
        func record(_ gauges: PoolGauges, for pool: ObjectKey) {}
        func recordScale(_ direction: ScaleDirection, reason: PlanReason, for pool: ObjectKey) { reasons.withLock { $0.append(reason) } }
        func recordReconcile(of pool: ObjectKey, duration: Duration, failed: Bool) {}
        func forget(_ pool: ObjectKey) {}
    }

    @Test func theOperatorAndTheSimulatorMakeTheSamePlanAtEveryStep() async throws {
        let pool = Self.pool()
        let settings = try DecisionSettings(spec: pool.spec, tick: 60)
        let values = Self.demand(minutes: 3_600)
        let harness = ReconcilerHarness()
        let start = harness.clock.date

        let setup = SimulationSetup(
            workload: .demand(DemandTrace(step: 60, gpus: values)), start: start, planner: settings.planner,
            leadTime: settings.leadTime, startup: .fixed(settings.leadTime.prior), recordSteps: true,
            makeForecastSource: { LearnedForecasts(configuration: settings.forecast) })
        let simulated = Simulator(setup: setup).run(.predictive)
        #expect(simulated.steps.count >= 3_599)

        try harness.api.put(pool)
        let initial = min(max(settings.planner.nodes(forGPUs: values[0]), settings.planner.minNodes), settings.planner.maxNodes)
        harness.api.state.withLock { $0.replicas["a100"] = initial }
        let recorder = ScaleReasons()
        var reconciler = harness.reconciler(tick: 60)
        reconciler.metrics = recorder
        let key = ObjectKey(namespace: "gpu", name: "a100")

        var mismatches: [String] = []
        var simulatedScaleReasons: [PlanReason] = []
        var previousDesired = initial
        var elapsed = 0.0
        for step in simulated.steps {
            harness.clock.advance(by: .milliseconds(Int64(((step.offset - elapsed) * 1_000).rounded())))
            elapsed = step.offset
            let gpus = Int(step.demandGPUs)
            harness.cache.state.withLock { state in
                state.pods = stride(from: 0, to: gpus, by: 8).enumerated().map { index, first in
                    gpuPod("demand-\(index)", gpus: min(8, gpus - first))
                }
            }
            _ = try await reconciler.reconcileAndSave(key)
            let desired = try harness.api.status("a100")?.nodes?.desired
            if desired != step.desiredNodes, mismatches.count < 10 {
                mismatches.append("t=\(step.offset)s demand \(gpus): operator \(desired.map(String.init) ?? "-"), simulator \(step.desiredNodes)")
            }
            if step.desiredNodes != previousDesired, let reason = step.planReason { simulatedScaleReasons.append(reason) }
            previousDesired = step.desiredNodes
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(recorder.reasons.value == simulatedScaleReasons)
        // The replay exercised the loop: the forecast became ready, and the pool moved both ways.
        #expect(Set(simulatedScaleReasons).isSuperset(of: [.scaleUpForForecast, .scaleDown]), "\(Set(simulatedScaleReasons))")
        #expect(try harness.api.status("a100")?.condition(.forecastReady)?.status == .true)
    }
}
