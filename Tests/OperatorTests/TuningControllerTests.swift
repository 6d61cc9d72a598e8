import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Forecasting
import Foundation
import KubeAPI
import Logging
import PoolPolicy
import Testing
import Tuning
@testable import Operator

/// The tuning controller on fakes and a manual clock: when a pool is tuned (first sight, a day later,
/// a spec change, the tune-now annotation), what too short a history gives, and how the reconciler
/// publishes and — in Apply mode only — plans with the result, never with a knob the user set.
@Suite struct TuningControllerTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")

    /// A pool with an objective, 5-minute bins kept for 8 days, the forecast quantile set by the user.
    static func objectivePool(mode: TuningMode = .recommend, generation: Int64 = 3, annotation: String? = nil) -> GPUPool {
        var pool = makePool(max: 12)
        pool.metadata.generation = generation
        if let annotation { pool.metadata.annotations = [TuningTrigger.annotation: annotation] }
        pool.spec.nodes.hourlyCost = 10
        pool.spec.forecast = ForecastSpec(seasonalities: [.hours(24)], history: .hours(192), step: .minutes(5), quantile: 0.9)
        pool.spec.startup = StartupSpec(expected: .minutes(6))
        pool.spec.objective = ObjectiveSpec(servedFraction: 0.99, mode: mode)
        return pool
    }

    /// `days` of recorded demand ending at `end`: a daily wave between 4 and 36 GPUs in 5-minute bins.
    static func history(days: Double, end: Date, pool: GPUPool = objectivePool()) throws -> DemandHistory {
        let settings = try DecisionSettings(spec: pool.spec)
        var history = DemandHistory(step: 300, retention: LearnedForecasts.retention(for: settings.forecast))
        let bins = Int(days * 288)
        for bin in 0..<bins {
            let instant = end.addingTimeInterval(-Double(bins - bin) * 300)
            let phase = 2 * Double.pi * instant.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) / 86_400
            history.record(gpus: (20 - 16 * cos(phase)).rounded(), at: instant)
        }
        return history
    }

    /// One real tuning over 7 days of that history (two settings replayed), shared by the tests below.
    static let tuned: TuningStatus = {
        let end = ManualClock().date
        let recorded = (try? TuningControllerTests.history(days: 7.5, end: end)) ?? DemandHistory(step: 300, retention: 0)
        return PoolTuning.tune(spec: objectivePool().spec, generation: 3, history: recorded, now: end, maxSettings: 2)
    }()

    struct Harness {
        let reconcile = ReconcilerHarness()
        let results = TuningResults()
        let queued = LockedValue<[ObjectKey]>([])

        func controller() -> TuningController<ManualClock> {
            let queued = queued
            return TuningController(api: reconcile.api, memories: reconcile.memories, results: results, enqueue: { key in queued.withLock { $0.append(key) } },
                                    clock: reconcile.clock, now: { [clock = reconcile.clock] in clock.date }, logger: Logger(label: "test"), maxSettings: 2)
        }

        func reconciler() -> GPUPoolReconciler {
            var reconciler = reconcile.reconciler()
            reconciler.tunings = results
            return reconciler
        }

        func seed(days: Double, pool: GPUPool) throws {
            let history = try TuningControllerTests.history(days: days, end: reconcile.clock.date, pool: pool)
            reconcile.api.state.withLock { $0.memories[pool.metadata.name ?? ""] = StoredPoolMemory(history: history) }
        }
    }

    // MARK: When

    struct TriggerCase: Sendable, CustomStringConvertible {
        var name: String
        var objective = true
        var generation: Int64 = 3
        var annotation: String?
        var last: TuningStatus?
        var hoursSince: Double = 0
        var expected: TuningTrigger?
        var description: String { name }
    }

    static func last(generation: Int64 = 3, result: TuningResult = .objectiveMet, request: String? = nil) -> TuningStatus {
        TuningStatus(lastTuneTime: KubeTime.format(ManualClock().date), observedGeneration: generation, result: result.rawValue, tuneRequest: request)
    }

    static let triggerCases: [TriggerCase] = [
        TriggerCase(name: "no objective", objective: false, expected: nil),
        TriggerCase(name: "never tuned", expected: .firstTuning),
        TriggerCase(name: "tuned an hour ago", last: last(), hoursSince: 1, expected: nil),
        TriggerCase(name: "tuned 23.9 hours ago", last: last(), hoursSince: 23.9, expected: nil),
        TriggerCase(name: "tuned a day ago", last: last(), hoursSince: 24, expected: .daily),
        TriggerCase(name: "spec changed since", generation: 4, last: last(), hoursSince: 1, expected: .specChanged),
        TriggerCase(name: "annotation not handled yet", annotation: "now", last: last(), hoursSince: 1, expected: .requested("now")),
        TriggerCase(name: "annotation handled", annotation: "now", last: last(request: "now"), hoursSince: 1, expected: nil),
        TriggerCase(name: "annotation changed", annotation: "again", last: last(request: "now"), hoursSince: 1, expected: .requested("again")),
        TriggerCase(name: "history too short, retried hourly", last: last(result: .historyTooShort), hoursSince: 1, expected: .daily),
        TriggerCase(name: "history too short, 59 minutes", last: last(result: .historyTooShort), hoursSince: 59.0 / 60, expected: nil),
    ]

    @Test(arguments: triggerCases)
    func aPoolIsDueOnFirstSightDailyOnSpecChangeAndOnRequest(_ test: TriggerCase) {
        var pool = Self.objectivePool(generation: test.generation, annotation: test.annotation)
        if !test.objective { pool.spec.objective = nil }
        let now = ManualClock().date.addingTimeInterval(test.hoursSince * 3600)
        #expect(TuningTrigger.due(pool, last: test.last, now: now) == test.expected)
    }

    /// The controller's own cadence on the manual clock: tuned on first sight, not again within the
    /// day, again after a day, on a generation change and on a new annotation value (recorded as handled).
    @Test func theControllerTunesDailyOnSpecChangeAndOnRequest() async throws {
        let harness = Harness()
        let clock = harness.reconcile.clock
        let pool = Self.objectivePool()
        try harness.reconcile.api.put(pool)
        try harness.seed(days: 2, pool: pool)
        let controller = harness.controller()

        #expect(await controller.tuneDuePools().map(\.trigger) == [.firstTuning])
        #expect(harness.queued.value == [key])
        #expect(await controller.tuneDuePools().isEmpty)
        // A tuning that found a week of history is next due a day later.
        await harness.results.store(Self.last(), for: key)
        clock.advance(by: .seconds(23 * 3600))
        #expect(await controller.tuneDuePools().isEmpty)
        clock.advance(by: .seconds(3600))
        #expect(await controller.tuneDuePools().map(\.trigger) == [.daily])

        try harness.reconcile.api.put(Self.objectivePool(generation: 4))
        #expect(await controller.tuneDuePools().map(\.trigger) == [.specChanged])
        #expect(await harness.results.result(for: key)?.observedGeneration == 4)

        try harness.reconcile.api.put(Self.objectivePool(generation: 4, annotation: "2026-12-06T00:00:00Z"))
        #expect(await controller.tuneDuePools().map(\.trigger) == [.requested("2026-12-06T00:00:00Z")])
        #expect(await controller.tuneDuePools().isEmpty)
        // The reconciler publishes the handled request, so a restarted operator does not tune again.
        try await harness.reconciler().reconcileAndSave(key)
        #expect(try harness.reconcile.api.status("a100")?.tuning?.tuneRequest == "2026-12-06T00:00:00Z")
    }

    /// Less than seven days of recorded demand: nothing is replayed and the status says why.
    @Test func lessThanAWeekOfHistoryIsNotTuned() async throws {
        let harness = Harness()
        let pool = Self.objectivePool(mode: .apply)
        try harness.reconcile.api.put(pool)
        try harness.seed(days: 6.5, pool: pool)
        await harness.controller().tuneDuePools()
        try await harness.reconciler().reconcileAndSave(key)

        let status = try #require(try harness.reconcile.api.status("a100"))
        #expect(status.tuning?.result == "HistoryTooShort")
        #expect(status.tuning?.message?.hasPrefix("6.5 days of recorded demand") == true)
        #expect(status.tuning?.settings == nil)
        #expect(status.tuning?.settingsTried == nil)
        #expect(status.condition(.tuned)?.status == .false)
        #expect(status.condition(.tuned)?.reason == "TuningHistoryTooShort")
    }

    // MARK: What

    /// A week of history is replayed through the search; the result names only the knobs the spec
    /// leaves free (not the quantile the user set) and compares the replayed cost with the spec as written.
    @Test func aWeekOfHistoryIsReplayedAndTheUserSetKnobIsNotTuned() throws {
        let status = Self.tuned
        #expect(["ObjectiveMet", "ObjectiveNotMet"].contains(status.result ?? ""))
        #expect(status.settingsTried == 2)
        #expect(status.historyDays == 7.5)
        let fields = try #require(status.settings?.fields)
        #expect(!fields.isEmpty)
        #expect(!fields.contains("spec.forecast.quantile"))
        #expect(status.settings?.forecastQuantile == nil)
        #expect(try #require(status.recommended?.cost) <= (try #require(status.current?.cost)) || status.result == "ObjectiveNotMet")
        #expect(status.recommended?.servedFraction != nil && status.current?.worstDayServedFraction != nil)
    }

    /// Recommend publishes and plans with the spec; Apply plans with the tuned settings, says so in
    /// `Tuned` and records one `TunedSettingsChanged` event.
    @Test(arguments: [TuningMode.recommend, .apply])
    func recommendPublishesAndApplyAlsoPlans(_ mode: TuningMode) async throws {
        let harness = Harness()
        harness.reconcile.api.state.withLock { $0.replicas["a100"] = 0 }
        try harness.reconcile.api.put(Self.objectivePool(mode: mode))
        await harness.results.store(Self.tuned, for: key)
        try await harness.reconciler().reconcileAndSave(key)
        harness.reconcile.clock.advance(by: .seconds(30))
        try await harness.reconciler().reconcileAndSave(key)

        let status = try #require(try harness.reconcile.api.status("a100"))
        #expect(status.tuning?.settings == Self.tuned.settings)
        #expect(status.tuning?.applied == (mode == .apply))
        let tuned = try #require(status.condition(.tuned))
        let changed = harness.reconcile.eventReasons.filter { $0 == "TunedSettingsChanged" }.count
        switch mode {
        case .recommend:
            #expect(tuned.status == .false && tuned.reason == "RecommendOnly")
            #expect(changed == 0)
            #expect(harness.reconcile.eventReasons.filter { $0 == "TuningRecommended" }.count == 1)
        case .apply:
            #expect(tuned.status == .true && tuned.reason == "TunedSettingsApplied")
            #expect(changed == 1)
        }
    }

    /// What the planner gets: Apply changes only free knobs, keeps max and budget, and a knob the user
    /// set after the tuning stays the user's; Recommend changes nothing.
    @Test func applyReplacesOnlyFreeKnobsAndKeepsLimits() throws {
        var pool = Self.objectivePool(mode: .apply)
        pool.spec.budget = BudgetSpec(maxHourlyCost: 100)
        let declared = try DecisionSettings(spec: pool.spec, tick: 30)
        let tuning = TuningStatus(result: "ObjectiveMet", settings: TunedSettings(
            fields: ["spec.forecast.quantile", "spec.warmPool.minIdleNodes", "spec.scaleDown.stabilizationWindow"],
            forecastQuantile: 0.99, minIdleNodes: 2, stabilizationWindow: .minutes(5)))

        let applied = TunedPlanning.settings(spec: pool.spec, declared: declared, tuning: tuning, tick: 30)
        guard case .applied(let used) = applied.use else { Issue.record("not applied: \(applied.use)"); return }
        // The quantile was set by the user (0.9): listed by the tuning, still not used.
        #expect(applied.settings.forecast.quantile == 0.9)
        #expect(used.fields?.contains("spec.forecast.quantile") == false)
        #expect(applied.settings.planner.warmPool.minIdleNodes == 2)
        #expect(applied.settings.planner.scaleDown.stabilizationWindow == 300)
        #expect(applied.settings.planner.maxNodes == declared.planner.maxNodes)
        #expect(applied.settings.planner.maxHourlyCost == declared.planner.maxHourlyCost)
        #expect(applied.settings.planner.hourlyCost == declared.planner.hourlyCost)

        pool.spec.objective?.mode = .recommend
        let recommended = TunedPlanning.settings(spec: pool.spec, declared: declared, tuning: tuning, tick: 30)
        #expect(recommended.settings == declared)

        // A warm floor above the pool's max would make the spec invalid: not used.
        pool.spec.objective?.mode = .apply
        let tooMany = TuningStatus(result: "ObjectiveMet", settings: TunedSettings(fields: ["spec.warmPool.minIdleNodes"], minIdleNodes: 16))
        let refused = TunedPlanning.settings(spec: pool.spec, declared: declared, tuning: tooMany, tick: 30)
        guard case .invalid = refused.use else { Issue.record("used an invalid setting: \(refused.use)"); return }
        #expect(refused.settings == declared)
    }
}
