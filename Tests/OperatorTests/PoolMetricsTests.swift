import Autoscaling
import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import KubeClient
import MetricsTestKit
import Testing
@testable import Operator

/// What the reconciler reports to `/metrics`, through `SwiftMetricsPoolRecorder` into swift-metrics'
/// test factory: per-pool gauges equal to what status says, counters of scale actions and errors,
/// and every series of a pool removed when the pool goes.
@Suite struct PoolMetricsTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")
    let pool = [("namespace", "gpu"), ("gpupool", "a100")]

    func harness(metrics: TestMetrics) -> (ReconcilerHarness, GPUPoolReconciler) {
        let harness = ReconcilerHarness()
        var reconciler = harness.reconciler()
        reconciler.metrics = SwiftMetricsPoolRecorder(factory: metrics)
        return (harness, reconciler)
    }

    @Test func gaugesAndTheScaleCounterFollowTheReconcile() async throws {
        let metrics = TestMetrics()
        let (harness, reconciler) = harness(metrics: metrics)
        // ManualClock starts at 08:00 UTC; the 24-GPU window opens at 08:10, within the 12-minute lead.
        var spec = makePool(schedules: [ScheduleSpec(name: "retrain", cron: "10 * * * *", duration: .minutes(30), gpus: 24)])
        spec.spec.nodes.hourlyCost = 30
        try harness.api.put(spec)
        let created = harness.clock.date.addingTimeInterval(-3600)
        harness.api.state.withLock { $0.replicas["a100"] = 2 }
        harness.cache.state.withLock { state in
            state.nodes = [gpuNode("n1", created: created), gpuNode("n2", ready: false, created: harness.clock.date)]
            state.pods = [gpuPod("p1", gpus: 4, node: "n1"), gpuPod("p2", gpus: 2, phase: "Pending")]
        }

        _ = try await reconciler.reconcileAndSave(key)

        let status = try #require(try harness.api.status("a100"))
        func gauge(_ family: MetricDescription) throws -> Double? { try metrics.expectGauge(family.name, pool).lastValue }
        #expect(try gauge(FleetcastMetrics.demandGPUs) == 6)
        #expect(try gauge(FleetcastMetrics.pendingGPUs) == 2)
        #expect(try gauge(FleetcastMetrics.readyNodes) == 1)
        #expect(try gauge(FleetcastMetrics.startingNodes) == 1)
        #expect(try gauge(FleetcastMetrics.idleNodes) == 0)
        #expect(try gauge(FleetcastMetrics.desiredNodes) == Double(try #require(status.nodes?.desired)))
        #expect(try gauge(FleetcastMetrics.leadTimeSeconds) == 720)
        #expect(try gauge(FleetcastMetrics.hourlyCost) == 60)
        #expect(try gauge(FleetcastMetrics.forecastPeakGPUs) == status.forecast?.peakGPUs)
        #expect(try gauge(FleetcastMetrics.forecastPeakGPUs) == 24)
        // No backtest was possible on one bin of history: no coverage series rather than a made-up one.
        #expect(metrics.recorders(label: FleetcastMetrics.forecastCoverage.name).isEmpty)

        // 6 GPUs of demand now plus the 24 of the window: 30 GPUs, four 8-GPU nodes.
        #expect(harness.api.state.value.replicaWrites == [4])
        let scaled = try metrics.expectCounter(FleetcastMetrics.scaleActions.name,
                                               pool + [("direction", "up"), ("reason", PlanReason.scaleUpForSchedule.rawValue)])
        #expect(scaled.totalValue == 1)
        #expect(try metrics.expectTimer(FleetcastMetrics.reconcileDuration.name).values.count == 1)
        #expect(metrics.counters(label: FleetcastMetrics.reconcileErrors.name).isEmpty)
    }

    @Test func aFailedReconcileIsCountedForItsPool() async throws {
        let metrics = TestMetrics()
        let (harness, reconciler) = harness(metrics: metrics)
        try harness.api.put(makePool(min: 1))
        harness.api.state.withLock { state in
            state.replicas["a100"] = 0
            state.conflictNextWrite = true
        }

        await #expect(throws: TargetError.self) { try await reconciler.reconcileAndSave(key) }

        #expect(try metrics.expectCounter(FleetcastMetrics.reconcileErrors.name, pool).totalValue == 1)
        #expect(try metrics.expectTimer(FleetcastMetrics.reconcileDuration.name).values.count == 1)
    }

    @Test func aDeletedPoolLeavesNoSeries() async throws {
        let metrics = TestMetrics()
        let (harness, reconciler) = harness(metrics: metrics)
        try harness.api.put(makePool(min: 1))
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        _ = try await reconciler.reconcileAndSave(key)
        #expect(!metrics.recorders(label: FleetcastMetrics.desiredNodes.name, dimensions: pool).isEmpty)
        #expect(!metrics.counters(label: FleetcastMetrics.scaleActions.name).isEmpty)

        harness.api.state.withLock { $0.pools["a100"] = nil }
        #expect(try await reconciler.reconcileAndSave(key) == .done)

        #expect(metrics.recorders.filter { $0.label.hasPrefix("fleetcast_") }.isEmpty)
        #expect(metrics.counters.filter { $0.label.hasPrefix("fleetcast_") }.isEmpty)
    }

    @Test func anUnknownValueRemovesItsSeries() {
        let metrics = TestMetrics()
        let recorder = SwiftMetricsPoolRecorder(factory: metrics)
        var gauges = PoolGauges(demandGPUs: 8, pendingGPUs: 0, forecastPeakGPUs: 12, desiredNodes: 2, readyNodes: 1, startingNodes: 1,
                                idleNodes: 0, leadTimeSeconds: 600, hourlyCost: 10, forecastCoverage: 0.9)
        recorder.record(gauges, for: key)
        #expect(metrics.recorders(label: FleetcastMetrics.forecastCoverage.name).first?.lastValue == 0.9)
        gauges.forecastCoverage = nil
        gauges.hourlyCost = nil
        recorder.record(gauges, for: key)
        #expect(metrics.recorders(label: FleetcastMetrics.forecastCoverage.name).isEmpty)
        #expect(metrics.recorders(label: FleetcastMetrics.hourlyCost.name).isEmpty)
        #expect(metrics.recorders(label: FleetcastMetrics.demandGPUs.name).first?.lastValue == 8)
    }

    @Test func startupPhasesAreOneSeriesPerPhaseInEachPercentileFamily() throws {
        let metrics = TestMetrics()
        let recorder = SwiftMetricsPoolRecorder(factory: metrics)
        var gauges = PoolGauges(demandGPUs: 8, pendingGPUs: 0, forecastPeakGPUs: nil, desiredNodes: 2, readyNodes: 1, startingNodes: 1,
                                idleNodes: 0, leadTimeSeconds: 600, hourlyCost: nil, forecastCoverage: nil)
        gauges.startupPhases = [
            StartupPhaseEstimate(phase: .imagePull, samples: 5, p50: 240, p90: 300),
            StartupPhaseEstimate(phase: .modelLoad, samples: 1, p50: 60, p90: 60),
        ]
        recorder.record(gauges, for: key)
        let p50 = FleetcastMetrics.startupPhaseP50Seconds.name, p90 = FleetcastMetrics.startupPhaseP90Seconds.name
        #expect(try metrics.expectGauge(p50, pool + [("phase", "ImagePull")]).lastValue == 240)
        #expect(try metrics.expectGauge(p90, pool + [("phase", "ImagePull")]).lastValue == 300)
        #expect(try metrics.expectGauge(p90, pool + [("phase", "ModelLoad")]).lastValue == 60)
        #expect(metrics.recorders(label: p50).count == 2)
        #expect(metrics.recorders(label: p90).count == 2)

        // A phase no longer measured loses its series; forgetting the pool removes the rest.
        gauges.startupPhases.removeLast()
        recorder.record(gauges, for: key)
        #expect(metrics.recorders(label: p50).count == 1)
        #expect(metrics.recorders(label: p90).count == 1)
        recorder.forget(key)
        #expect(metrics.recorders(label: p50).isEmpty && metrics.recorders(label: p90).isEmpty)
    }

    @Test func standbyGaugesFollowTheStandbyStatusAndAreAbsentWithoutATier() throws {
        let metrics = TestMetrics()
        let recorder = SwiftMetricsPoolRecorder(factory: metrics)
        var gauges = PoolGauges(demandGPUs: 8, pendingGPUs: 0, forecastPeakGPUs: nil, desiredNodes: 2, readyNodes: 1, startingNodes: 1,
                                idleNodes: 0, leadTimeSeconds: 600, hourlyCost: nil, forecastCoverage: nil)
        recorder.record(gauges, for: key)
        let families = [FleetcastMetrics.standbyDesiredNodes, FleetcastMetrics.standbyReadyNodes, FleetcastMetrics.standbyResumeSeconds,
                        FleetcastMetrics.standbyResumeP50Seconds, FleetcastMetrics.standbyResumeP90Seconds]
        #expect(families.allSatisfy { metrics.recorders(label: $0.name).isEmpty })
        gauges.standbyDesiredNodes = 3
        gauges.standbyReadyNodes = 2
        gauges.standbyResumeSeconds = 35
        gauges.standbyResumeP50Seconds = 41
        gauges.standbyResumeP90Seconds = 58
        recorder.record(gauges, for: key)
        #expect(try metrics.expectGauge(FleetcastMetrics.standbyDesiredNodes.name, pool).lastValue == 3)
        #expect(try metrics.expectGauge(FleetcastMetrics.standbyReadyNodes.name, pool).lastValue == 2)
        #expect(try metrics.expectGauge(FleetcastMetrics.standbyResumeP90Seconds.name, pool).lastValue == 58)
    }
}
