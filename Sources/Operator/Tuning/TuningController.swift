import ControllerRuntime
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import Logging
import ServiceLifecycle

/// The tuning controller: one concern, its own task. Once a minute (on the injected clock) it looks at
/// every pool with `spec.objective` and tunes those due (`TuningTrigger`: first sight, a spec change, a
/// `fleetcast.dev/tune-now` request, a day since the last): it replays the pool's recorded demand
/// history through the tuning search (`PoolTuning`) on a thread of its own, one pool at a time, hands
/// the result to the reconciler (`TuningResults`) and queues the pool, whose next reconcile publishes
/// it and, in `Apply` mode, plans with it. Reconciles never wait for a tuning.
struct TuningController<C: Clock<Duration>>: Service {
    var api: any GPUPoolAPI
    /// The reconciler's memory: a pool's live history, when this process holds one.
    var memories: PoolMemoryStore
    var results: TuningResults
    /// Queues a pool for a reconcile (the GPUPool controller's work queue).
    var enqueue: @Sendable (ObjectKey) -> Void
    var clock: C
    var now: @Sendable () -> Date
    var logger: Logger
    /// How often pools are looked at.
    var checkInterval: Duration = .seconds(60)
    /// The daily cadence, and the retry while the history is too short.
    var interval: TimeInterval = 86_400
    var retryInterval: TimeInterval = 3600
    /// Most settings one tuning replays (as `fleetcast tune`'s default).
    var maxSettings = 80

    func run() async {
        while !Task.isCancelled {
            await tuneDuePools()
            do {
                try await clock.sleep(for: checkInterval)
            } catch {
                return
            }
        }
    }

    /// Tunes every pool due now, one after another; returns the pools tuned and why.
    @discardableResult
    func tuneDuePools() async -> [(key: ObjectKey, trigger: TuningTrigger)] {
        let raws: [JSONValue]
        do {
            raws = try await api.allPools()
        } catch {
            logger.warning("Tuning: cannot list pools", metadata: ["error": "\(error)"])
            return []
        }
        var tuned: [(key: ObjectKey, trigger: TuningTrigger)] = []
        for raw in raws {
            guard !Task.isCancelled else { break }
            guard case .valid(let pool) = PoolDecoding.decode(raw), pool.spec.objective != nil else { continue }
            let key = ObjectKey(namespace: pool.metadata.namespace ?? "", name: pool.metadata.name ?? "")
            let last = await results.result(for: key) ?? pool.status?.tuning
            let now = now()
            guard let trigger = TuningTrigger.due(pool, last: last, now: now, interval: interval, retryInterval: retryInterval) else { continue }
            var result = await tune(pool, key: key, now: now)
            result.tuneRequest = pool.metadata.annotations?[TuningTrigger.annotation] ?? last?.tuneRequest
            await results.store(result, for: key)
            enqueue(key)
            tuned.append((key, trigger))
            logger.info("Tuned pool", metadata: [
                "pool": "\(key)", "trigger": "\(trigger.description)", "result": "\(result.result ?? "")",
                "settings": "\(result.settings?.summary ?? "-")", "tried": "\(result.settingsTried ?? 0)",
                "cpuSeconds": "\(String(format: "%.2f", result.cpuSeconds ?? 0))"])
        }
        return tuned
    }

    /// One pool's tuning over the history this process holds for it, else the one persisted.
    private func tune(_ pool: GPUPool, key: ObjectKey, now: Date) async -> TuningStatus {
        var history = await memories.history(for: key)
        if history == nil || history?.observedBinCount == 0 {
            do {
                history = try await api.loadMemory(of: pool)?.history ?? history
            } catch {
                logger.warning("Tuning: cannot read the pool's history", metadata: ["pool": "\(key)", "error": "\(error)"])
            }
        }
        let spec = pool.spec, generation = pool.metadata.generation, maxSettings = maxSettings, found = history
        let (status, cpu) = await TuningThread.run {
            PoolTuning.tune(spec: spec, generation: generation, history: found, now: now, maxSettings: maxSettings)
        }
        var result = status
        result.cpuSeconds = PoolTuning.rounded(cpu, 2)
        return result
    }
}
