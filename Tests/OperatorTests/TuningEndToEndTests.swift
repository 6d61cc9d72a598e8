import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Forecasting
import Foundation
import KubeAPI
import KubeClient
import Logging
import PoolPolicy
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// A pool with `spec.objective` (mode Apply) and eight days of recorded demand in its history
    /// ConfigMap: the tuning controller replays it through the tuning search and the reconciler
    /// publishes `status.tuning`, sets `Tuned=True` and records a `TunedSettingsChanged` event — over
    /// the in-process virtual cluster, through the real client, informers and status patches.
    @Suite struct TuningEndToEndTests {
        @Test func aPoolWithAnObjectiveAndAWeekOfHistoryIsTunedAndApplies() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: OperatorTestCluster.poolYAML(nodes: "max: 10\n    hourlyCost: 10", extra: """
                  startup: {expected: 6m}
                  forecast: {quantile: 0.9}
                  objective: {servedFraction: 0.99, mode: Apply}
                """))
            defer { Task { await environment.stop() } }
            let pool = try await environment.pool()
            #expect(pool.spec.objective?.mode == .apply)

            // Eight days of demand as an earlier run of the operator would have stored them.
            let now = environment.clock.date
            let settings = try DecisionSettings(spec: pool.spec)
            var history = DemandHistory(step: 300, retention: LearnedForecasts.retention(for: settings.forecast))
            for bin in 0..<(8 * 288) {
                let instant = now.addingTimeInterval(-Double(8 * 288 - bin) * 300)
                let phase = 2 * Double.pi * Double(bin % 288) / 288
                history.record(gpus: (20 - 16 * cos(phase)).rounded(), at: instant)
            }
            _ = try await environment.client.create(try HistoryConfigMap.encode(StoredPoolMemory(history: history), for: pool,
                                                                                in: OperatorTestCluster.historyNamespace))

            let results = TuningResults()
            let queued = LockedKeys()
            let api = KubeGPUPoolAPI(client: environment.client, pools: environment.watches.pools, historyNamespace: OperatorTestCluster.historyNamespace)
            let clock = environment.clock
            let controller = TuningController(api: api, memories: environment.memories, results: results, enqueue: { queued.add($0) },
                                              clock: clock, now: { clock.date }, logger: Logger(label: "e2e"), maxSettings: 3)
            let tuned = await controller.tuneDuePools()
            #expect(tuned.map(\.trigger) == [.firstTuning])
            #expect(queued.keys == [OperatorTestCluster.key])

            try await environment.cachesCaughtUp()
            var reconciler = environment.reconciler()
            reconciler.tunings = results
            _ = try await reconciler.reconcileAndSave(OperatorTestCluster.key)

            let status = try #require(try await environment.pool().status)
            let tuning = try #require(status.tuning)
            #expect(["ObjectiveMet", "ObjectiveNotMet"].contains(tuning.result ?? ""))
            #expect(tuning.settingsTried == 3)
            #expect(tuning.historyDays == 8)
            #expect(tuning.applied == true)
            #expect(tuning.observedGeneration == pool.metadata.generation)
            #expect(tuning.settings?.fields?.contains("spec.forecast.quantile") == false)
            #expect(tuning.recommended?.cost != nil && tuning.current?.cost != nil)
            #expect(tuning.cpuSeconds != nil)
            let condition = try #require(status.conditions?[type: GPUPoolConditionType.tuned.rawValue])
            #expect(condition.status == .true)
            #expect(condition.reason == "TunedSettingsApplied")
            try await eventually("the TunedSettingsChanged event is recorded") {
                try await environment.eventReasons().contains("TunedSettingsChanged")
            }
            // Not due again until a day has passed.
            #expect(await controller.tuneDuePools().isEmpty)
        }
    }
}

/// Keys queued by a controller under test.
final class LockedKeys: Sendable {
    private let state = LockedValue<[ObjectKey]>([])
    func add(_ key: ObjectKey) { state.withLock { $0.append(key) } }
    var keys: [ObjectKey] { state.value }
}
