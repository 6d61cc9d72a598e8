import Autoscaling
import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Logging

/// Converges one GPUPool: observe its pods and nodes, learn and forecast demand, plan, set the
/// target's replicas, publish status and events. Level-based: everything is read afresh from the
/// caches and the API on every call, except the pool's memory (history, fit, planner state), which
/// is also persisted so a restart loses nothing but the time it was down.
struct GPUPoolReconciler: Reconciler {
    var api: any GPUPoolAPI
    var cache: any PoolObservationCache
    var recorder: any EventRecorder
    var memories: PoolMemoryStore
    /// Wall-clock time; injected so tests drive it.
    var now: @Sendable () -> Date
    /// The steady reconcile period and the planner's step (default 30 s).
    var tick: TimeInterval = 30
    /// How long the caches may fail to list or watch before the pool's size is held.
    var staleObservationLimit: TimeInterval = ObservationFreshness.defaultLimit
    var logger: Logger
    /// Where each reconcile's gauges, scale actions, duration and errors go.
    var metrics: any PoolMetricsRecorder = DiscardingPoolMetrics()

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let result = try await reconcilePool(key)
            metrics.recordReconcile(of: key, duration: clock.now - started, failed: false)
            return result
        } catch {
            metrics.recordReconcile(of: key, duration: clock.now - started, failed: true)
            throw error
        }
    }

    private func reconcilePool(_ key: ObjectKey) async throws -> ReconcileResult {
        let now = now()
        guard let raw = try await api.pool(namespace: key.namespace, name: key.name) else {
            await memories.forget(key)
            metrics.forget(key)
            try await api.deleteMemory(namespace: key.namespace, name: key.name)
            return .done
        }
        let pool: GPUPool
        switch PoolDecoding.decode(raw) {
        case .invalid(let header, let message):
            metrics.forget(key)
            try await reportInvalid(header: header, key: key, message: message, now: now)
            return .done
        case .valid(let decoded):
            pool = decoded
        }

        var memory = await memories.memory(for: key, spec: pool.spec)
        if !memory.restored {
            let stored = try await api.loadMemory(of: pool)
            memory.adopt(restored: stored?.history, plannerState: stored?.plannerState)
        }
        let spec = pool.spec.withDefaults()
        let snapshot = PoolSnapshot(
            pool: pool,
            pods: cache.pods(namespace: key.namespace, selector: spec.demand.pods.selector),
            nodes: cache.nodes(selector: spec.nodes.selector),
            freshness: ObservationFreshness(hasSynced: cache.hasSynced, outOfSyncSince: cache.outOfSyncSince,
                                            now: now, limit: staleObservationLimit),
            now: now)
        let outcome = PoolPlanning.plan(snapshot, memory: &memory, tick: tick)
        let actuation: Actuation
        do {
            actuation = try await actuate(outcome.plan, spec: spec, namespace: key.namespace, fresh: snapshot.observationFresh)
        } catch {
            await memories.store(memory, for: key)
            throw error
        }

        let report = PoolStatusReport.build(pool: pool, outcome: outcome, actuation: actuation,
                                            freshness: snapshot.freshness, lastScale: memory.lastScale ?? pool.status?.lastScale, now: now)
        memory.lastScale = report.status.lastScale
        metrics.record(PoolGauges(outcome: outcome, status: report.status, fitted: memory.fitted), for: key)
        if case .scaled(let from, let to) = actuation {
            metrics.recordScale(to > from ? .up : .down, reason: outcome.plan.reason, for: key)
        }
        if memory.needsSave(at: now) {
            do {
                try await api.saveMemory(StoredPoolMemory(history: memory.history, plannerState: memory.plannerState), of: pool)
                memory.savedBin = memory.history.binIndex(of: now)
            } catch {
                logger.warning("Could not save demand history", metadata: ["pool": "\(key)", "error": "\(error)"])
            }
        }
        await memories.store(memory, for: key)
        if report.status != pool.status {
            try await api.writeStatus(report.status, namespace: key.namespace, name: key.name)
        }
        for event in report.events {
            await recorder.record(event.type, reason: event.reason, message: event.message, about: reference(to: pool))
        }
        logger.debug("Reconciled", metadata: [
            "pool": "\(key)", "reason": "\(outcome.plan.reason.rawValue)", "desired": "\(outcome.plan.desiredNodes)",
            "demand": "\(outcome.observation.demandGPUs)"])
        return .requeue(after: .milliseconds(Int64((tick * 1000).rounded())))
    }

    /// Reads the target and writes the plan's replicas when they differ. A conflict is thrown so the
    /// controller requeues with backoff and the next attempt reads the target again.
    private func actuate(_ plan: Plan, spec: GPUPoolSpec, namespace: String, fresh: Bool) async throws(TargetError) -> Actuation {
        guard plan.actuate, spec.effectiveMode == .active else { return .forecastOnly }
        let read: TargetReplicas
        do {
            read = try await api.replicas(of: spec.target, namespace: namespace)
        } catch {
            switch error {
            case .notFound(let message): return .targetNotFound(message: message)
            case .failed(let message): return .failed(message: message)
            case .conflict: throw error
            }
        }
        guard let write = Actuation.replicasToWrite(planned: plan.replicas, current: read.replicas, observationFresh: fresh) else {
            return plan.replicas < read.replicas && !fresh
                ? .heldWhileBlind(replicas: read.replicas, planned: plan.replicas)
                : .unchanged(replicas: read.replicas)
        }
        do {
            try await api.setReplicas(write, of: spec.target, namespace: namespace, read: read)
        } catch {
            switch error {
            case .notFound(let message): return .targetNotFound(message: message)
            case .failed(let message): return .failed(message: message)
            case .conflict: throw error
            }
        }
        logger.info("Scaled target", metadata: [
            "pool": "\(namespace)/\(spec.target.name)", "from": "\(read.replicas)", "to": "\(write)", "reason": "\(plan.reason.rawValue)"])
        return .scaled(from: read.replicas, to: write)
    }

    private func reportInvalid(header: PoolHeader, key: ObjectKey, message: String, now: Date) async throws {
        let (status, event) = PoolStatusReport.invalid(pool: header.status, generation: header.metadata.generation,
                                                       message: message, now: now)
        if status != header.status {
            try await api.writeStatus(status, namespace: key.namespace, name: key.name)
        }
        let object = EventObjectReference(apiVersion: GPUPool.apiVersion, kind: GPUPool.kind, namespace: key.namespace,
                                          name: key.name, uid: header.metadata.uid ?? "")
        await recorder.record(event.type, reason: event.reason, message: event.message, about: object)
        logger.warning("Invalid GPUPool spec", metadata: ["pool": "\(key)", "reason": "InvalidSpec", "error": "\(message)"])
    }

    private func reference(to pool: GPUPool) -> EventObjectReference {
        EventObjectReference(apiVersion: GPUPool.apiVersion, kind: GPUPool.kind, namespace: pool.metadata.namespace ?? "",
                             name: pool.metadata.name ?? "", uid: pool.metadata.uid ?? "")
    }
}
