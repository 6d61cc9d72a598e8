import Autoscaling
import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import KubeClient
import Testing
@testable import Operator

@Suite struct GPUPoolReconcilerTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")

    /// A schedule 10 minutes away with 12-minute start-ups: the pool scales up now, before any pod asks.
    @Test func scalesUpAheadOfADeclaredSchedule() async throws {
        let harness = ReconcilerHarness()
        // ManualClock's origin is 08:00 UTC; the window opens at 08:10.
        let schedule = ScheduleSpec(name: "retrain", cron: "10 * * * *", duration: .minutes(30), gpus: 16)
        try harness.api.put(makePool(schedules: [schedule]))
        harness.api.state.withLock { $0.replicas["a100"] = 0 }

        let result = try await harness.reconciler().reconcileAndSave(key)

        #expect(result == .requeue(after: .seconds(30)))
        #expect(harness.api.state.value.replicaWrites == [2])
        let status = try #require(try harness.api.status("a100"))
        #expect(status.nodes?.desired == 2)
        #expect(status.observedGeneration == 3)
        #expect(status.nextSchedule?.name == "retrain")
        #expect(status.lastScale?.to == 2)
        #expect(status.condition(.ready)?.status == .true)
        #expect(status.condition(.scalingActive)?.reason == "ScalingEnabled")
        #expect(status.condition(.forecastReady)?.status == .false)
        #expect(harness.eventReasons.contains("ScaledUp"))
    }

    @Test func forecastOnlyPublishesStatusButNeverTouchesTheTarget() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(mode: .forecastOnly, min: 2))
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        harness.cache.state.withLock { $0.pods = [gpuPod("p1", gpus: 8, phase: "Pending")] }

        _ = try await harness.reconciler().reconcileAndSave(key)

        #expect(harness.api.state.value.replicaWrites.isEmpty)
        #expect(harness.api.state.value.replicas["a100"] == 0)
        let status = try #require(try harness.api.status("a100"))
        #expect(status.nodes?.desired == 2)
        #expect(status.demand?.gpus == 8)
        #expect(status.demand?.pendingGPUs == 8)
        #expect(status.condition(.scalingActive)?.reason == "ForecastOnlyMode")
        #expect(status.condition(.ready)?.status == .true)
        #expect(!harness.eventReasons.contains("ScaledUp"))
    }

    /// Table: specs that decode but fail validation, and one that does not decode (no CRD schema
    /// defaulting or checking), each reported under its field path with no actuation.
    enum Breakage: String, CaseIterable, Sendable {
        case maxBelowMin = "spec.nodes.max"
        case zeroGPUsPerNode = "spec.nodes.gpusPerNode"
        case badCron = "spec.schedules[0].cron"

        func apply(to pool: inout GPUPool) {
            switch self {
            case .maxBelowMin: pool.spec.nodes.min = 5; pool.spec.nodes.max = 2
            case .zeroGPUsPerNode: pool.spec.nodes.gpusPerNode = 0
            case .badCron: pool.spec.schedules = [ScheduleSpec(name: "x", cron: "61 * * * *", duration: .minutes(5), gpus: 8)]
            }
        }
    }

    @Test(arguments: Breakage.allCases)
    func invalidSpecIsReportedAndNotActedOn(_ breakage: Breakage) async throws {
        let field = breakage.rawValue
        let harness = ReconcilerHarness()
        var pool = makePool()
        breakage.apply(to: &pool)
        try harness.api.put(pool)
        harness.api.state.withLock { $0.replicas["a100"] = 0 }

        let result = try await harness.reconciler().reconcileAndSave(key)

        #expect(result == .done)
        #expect(harness.api.state.value.replicaWrites.isEmpty)
        let status = try #require(try harness.api.status("a100"))
        let ready = try #require(status.condition(.ready))
        #expect(ready.status == .false)
        #expect(ready.reason == "InvalidSpec")
        #expect(ready.message.contains(field), "\(ready.message)")
        #expect(status.observedGeneration == 3)
        #expect(harness.eventReasons == ["InvalidSpec"])
    }

    @Test func undecodableSpecNamesTheMissingField() async throws {
        let harness = ReconcilerHarness()
        let raw: JSONValue = .object([
            "apiVersion": .string(GPUPool.apiVersion), "kind": .string("GPUPool"),
            "metadata": .object(["name": .string("a100"), "namespace": .string("gpu"), "generation": .int(1), "uid": .string("u")]),
            "spec": .object(["nodes": .object(["gpusPerNode": .int(8), "max": .int(3), "selector": .object([:])])]),
        ])
        harness.api.putRaw(raw, name: "a100")

        #expect(try await harness.reconciler().reconcileAndSave(key) == .done)
        let ready = try #require(try harness.api.status("a100")?.condition(.ready))
        #expect(ready.reason == "InvalidSpec")
        #expect(ready.message.hasPrefix("spec.target: Required value"), "\(ready.message)")
    }

    @Test func staleObservationHoldsTheSizeAndSaysDegraded() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(stabilization: .zero))
        harness.api.state.withLock { $0.replicas["a100"] = 3 }
        let created = harness.clock.date.addingTimeInterval(-3600)
        harness.cache.state.withLock { state in
            state.nodes = (1...3).map { gpuNode("n\($0)", created: created) }
            // Failing for exactly the limit: too long to trust a picture of no demand.
            state.outOfSyncSince = harness.clock.date.addingTimeInterval(-ObservationFreshness.defaultLimit)
        }

        _ = try await harness.reconciler().reconcileAndSave(key)

        #expect(harness.api.state.value.replicaWrites.isEmpty)
        let status = try #require(try harness.api.status("a100"))
        #expect(status.condition(.degraded)?.status == .true)
        #expect(status.condition(.degraded)?.reason == "ObservationStale")
        #expect(status.condition(.degraded)?.message.contains("holding the current size") == true)

        // Once the caches are in sync again, the idle nodes go (one per step).
        harness.cache.state.withLock { $0.outOfSyncSince = nil }
        _ = try await harness.reconciler().reconcileAndSave(key)
        #expect(harness.api.state.value.replicaWrites == [2])
        #expect(try harness.api.status("a100")?.condition(.degraded)?.reason == "AsExpected")
    }

    /// Time spent blind does not count towards the stabilization window: back in sync after longer
    /// than the window, the pool still waits a full window before the first node goes.
    @Test func theStabilizationWindowRestartsAfterABlindSpell() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(stabilization: .minutes(5)))
        harness.api.state.withLock { $0.replicas["a100"] = 3 }
        let created = harness.clock.date.addingTimeInterval(-3600)
        harness.cache.state.withLock { state in
            state.nodes = (1...3).map { gpuNode("n\($0)", created: created) }
            state.outOfSyncSince = harness.clock.date.addingTimeInterval(-ObservationFreshness.defaultLimit)
        }
        for _ in 0..<20 {
            _ = try await harness.reconciler().reconcileAndSave(key)
            harness.clock.advance(by: .seconds(30))
        }
        #expect(harness.api.state.value.replicaWrites.isEmpty)

        harness.cache.state.withLock { $0.outOfSyncSince = nil }
        for _ in 0..<10 {
            _ = try await harness.reconciler().reconcileAndSave(key)
            harness.clock.advance(by: .seconds(30))
        }
        #expect(harness.api.state.value.replicaWrites.isEmpty, "scaled down before a full window of fresh observation")
        _ = try await harness.reconciler().reconcileAndSave(key)
        #expect(harness.api.state.value.replicaWrites == [2])
    }

    @Test func conflictOnTheTargetIsThrownForARequeue() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(min: 1))
        harness.api.state.withLock { state in
            state.replicas["a100"] = 0
            state.conflictNextWrite = true
        }
        await #expect(throws: TargetError.self) { try await harness.reconciler().reconcileAndSave(key) }
        _ = try await harness.reconciler().reconcileAndSave(key)
        #expect(harness.api.state.value.replicaWrites == [1])
    }

    @Test func missingTargetIsReportedNotRetried() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(min: 1))
        _ = try await harness.reconciler().reconcileAndSave(key)
        let status = try #require(try harness.api.status("a100"))
        #expect(status.condition(.ready)?.reason == "TargetNotFound")
        #expect(status.condition(.scalingActive)?.status == .false)
        #expect(harness.eventReasons.contains("TargetNotFound"))
        #expect(!harness.eventReasons.contains("ScaledUp"))
    }

    @Test func transitionTimesMoveOnlyOnChange() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(min: 1))
        harness.api.state.withLock { $0.replicas["a100"] = 1 }
        _ = try await harness.reconciler().reconcileAndSave(key)
        let first = try #require(try harness.api.status("a100")?.condition(.ready))
        harness.clock.advance(by: .seconds(120))
        _ = try await harness.reconciler().reconcileAndSave(key)
        let second = try #require(try harness.api.status("a100")?.condition(.ready))
        #expect(first.lastTransitionTime == second.lastTransitionTime)

        harness.api.state.withLock { $0.replicas["a100"] = nil }
        harness.clock.advance(by: .seconds(120))
        _ = try await harness.reconciler().reconcileAndSave(key)
        let third = try #require(try harness.api.status("a100")?.condition(.ready))
        #expect(third.status == .false)
        #expect(third.lastTransitionTime != first.lastTransitionTime)
    }

    /// A restarted operator (a fresh memory store) restores the history, with its downtime as missing bins.
    @Test func historySurvivesARestartWithDowntimeAsMissingBins() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool(min: 1))
        harness.api.state.withLock { $0.replicas["a100"] = 1 }
        harness.cache.state.withLock { $0.pods = [gpuPod("p1", gpus: 4, node: "n1")] }
        for _ in 0..<6 {
            try await harness.reconciler().reconcileAndSave(key)
            harness.clock.advance(by: .seconds(300))
        }
        let saved = try #require(harness.api.state.value.memories["a100"]?.history)
        #expect(saved.observedBinCount == 6)

        harness.clock.advance(by: .seconds(3600))
        let restarted = ReconcilerHarnessRestart(from: harness)
        try await restarted.reconciler.reconcileAndSave(key)
        let history = try #require(harness.api.state.value.memories["a100"]?.history)
        #expect(history.observedBinCount == 7)
        #expect(history.binCount == 6 + 12 + 1)
        #expect(history.bins.filter { $0 == nil }.count == 12)
    }
}

/// The same API and cache with a new reconciler memory: what a restarted operator sees.
struct ReconcilerHarnessRestart {
    let reconciler: GPUPoolReconciler

    init(from harness: ReconcilerHarness) {
        var reconciler = harness.reconciler()
        reconciler.memories = PoolMemoryStore()
        self.reconciler = reconciler
    }
}
