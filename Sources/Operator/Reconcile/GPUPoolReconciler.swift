import Autoscaling
import ControllerRuntime
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import Logging
import PoolPolicy
import PrometheusDemand

/// Converges one GPUPool: observe its pods and nodes, learn and forecast demand, plan, set the
/// target's replicas, publish status and events. Level-based: everything is read afresh from the
/// caches and the API on every call, except the pool's memory (history, fit, planner state), which
/// is also persisted so a restart loses nothing but the time it was down. The writes happen off the
/// reconcile path: each reconcile offers the memory to `history`, which saves it once per bin, and a
/// changed status to `statuses`, which PATCHes it; only the target's `/scale` is read and written inline.
struct GPUPoolReconciler: Reconciler {
    var api: any GPUPoolAPI
    var cache: any PoolObservationCache
    var recorder: any EventRecorder
    var memories: PoolMemoryStore
    /// Saves the pools' memory to their ConfigMaps in the background.
    var history: PoolHistoryWriter
    /// Writes the pools' status in the background.
    var statuses: PoolStatusWriter
    /// Decoded pools by stored version, so an unchanged pool is not decoded again every reconcile.
    var decoding = PoolDecodingCache()
    /// Wall-clock time; injected so tests drive it.
    var now: @Sendable () -> Date
    /// The steady reconcile period and the planner's step (default 30 s).
    var tick: TimeInterval = 30
    /// How long the caches may fail to list or watch before the pool's size is held.
    var staleObservationLimit: TimeInterval = ObservationFreshness.defaultLimit
    var logger: Logger
    /// Where each reconcile's gauges, scale actions, duration and errors go.
    var metrics: any PoolMetricsRecorder = DiscardingPoolMetrics()
    /// Cordons and marks the nodes a Cluster API scale-down removes (see `VictimMarking`); nil lowers
    /// replicas and leaves the choice to the MachineSet's deletion order.
    var removal: (any NodeRemovalAPI)?
    /// Where pools with `spec.demand.prometheus` read their past (and live) demand; nil when the
    /// operator runs without `--prometheus-url`.
    var prometheus: (any PrometheusDemandSource)?
    /// The tuning controller's latest results (pools with `spec.objective`), published in `status.tuning`.
    var tunings = TuningResults()
    /// How long after a failed backfill the next one is tried.
    var backfillRetryInterval: TimeInterval = 300

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
            if case .valid(let deleted)? = decoding.last(namespace: key.namespace, name: key.name) {
                // Thrown, the entry stays and the retry releases them; done, the spec is forgotten below.
                try await releaseMarks(ofDeleted: deleted, key: key)
            }
            await memories.forget(key)
            await tunings.forget(key)
            metrics.forget(key)
            decoding.forget(namespace: key.namespace, name: key.name)
            await history.discard(key)
            await statuses.discard(key)
            try await api.deleteMemory(namespace: key.namespace, name: key.name)
            return .done
        }
        var pool: GPUPool
        switch decoding.decode(raw) {
        case .invalid(let header, let message):
            metrics.forget(key)
            await reportInvalid(header: header, key: key, message: message, now: now)
            return .done
        case .valid(let decoded):
            pool = decoded
        }
        // A status offered but not stored yet is the one this reconcile builds on, so conditions keep
        // their transition times while the write is on its way.
        let storedVersion = pool.metadata.resourceVersion
        if let pending = await statuses.pending(key) { pool.status = pending }

        let declared: DecisionSettings
        do {
            declared = try DecisionSettings(spec: pool.spec, tick: tick)
        } catch {
            metrics.forget(key)
            await reportInvalid(header: PoolHeader(metadata: pool.metadata, status: pool.status), key: key, message: error.description, now: now)
            return .done
        }
        // Discovered schedules join the declared ones, so the forecaster takes them out of history and
        // adds them back exactly as it does declared schedules: their demand is counted once.
        let discovery = discoverSchedules(of: pool, key: key)
        let tuning = await tunings.result(for: key) ?? pool.status?.tuning
        let tuned = TunedPlanning.settings(spec: pool.spec, declared: declared, tuning: tuning, tick: tick)
        var settings = tuned.settings
        settings.forecast.schedules += discovery?.schedules.map(\.demand) ?? []
        var memory = await memories.memory(for: key, settings: settings)
        if !memory.restored {
            let stored = try await api.loadMemory(of: pool)
            memory.adopt(restored: stored?.history, plannerState: stored?.plannerState)
        }
        let spec = pool.spec.withDefaults()
        let prometheusOutcome = await readPrometheus(spec: spec, settings: settings, memory: &memory, key: key, now: now)
        let target = try await readTarget(spec: spec, namespace: spec.target.namespace(forPoolIn: key.namespace))
        let claims = TargetOwnership.claims(from: try await api.allPools(), decode: decoding.decode)
        let claim = TargetOwnership.claim(of: pool)
        let standbyOwner = TargetOwnership.standbyOwner(of: claim, among: claims)
        let standbyRead = await readStandbyTarget(spec: spec, namespace: key.namespace, owned: standbyOwner == nil)
        // With a standby tier, suspended nodes are the tier's, not running capacity.
        let poolNodes = cache.nodes(selector: spec.nodes.selector)
        let suspended = spec.warmPool?.standby == nil ? [] : poolNodes.filter(StandbyResumeTracker.isSuspended)
        let nodes = suspended.isEmpty ? poolNodes : poolNodes.filter { !StandbyResumeTracker.isSuspended($0) }
        let machinesCreated = await machinesCreated(for: nodes, spec: spec, memory: memory,
                                                    targetNamespace: spec.target.namespace(forPoolIn: key.namespace))
        let snapshot = PoolSnapshot(
            pool: pool,
            pods: cache.pods(in: DemandNamespaces(pool: key.namespace, selector: spec.demand.pods.namespaceSelector),
                             selector: spec.demand.pods.selector),
            nodes: nodes,
            targetReplicas: target.requested(semantics: spec.effectiveSemantics),
            freshness: ObservationFreshness(hasSynced: cache.hasSynced, outOfSyncSince: cache.outOfSyncSince,
                                            now: now, limit: staleObservationLimit),
            now: now, liveDemandGPUs: prometheusOutcome?.liveDemandGPUs, liveDemandFailed: prometheusOutcome?.liveFailed ?? false,
            queuedGPUs: queuedGPUs(of: spec, key: key), machinesCreated: machinesCreated, suspendedNodes: suspended,
            standby: StandbyCounts(ready: suspended.count, entering: max(0, (standbyRead.replicas?.replicas ?? suspended.count) - suspended.count)))
        let wantedSince = memory.loop.plannerState.scaleDownWantedSince
        let outcome = PoolPlanning.plan(snapshot, memory: &memory, settings: settings)
        let owner = TargetOwnership.owner(of: claim, among: claims)
        let overlaps = TargetOwnership.overlapping(claim, among: claims, poolNodes: snapshot.nodes).map(\.pool)
        let actuation: Actuation
        let standbyActuation: StandbyActuation
        var removalReport: NodeRemovalReport?
        do {
            if let owner, spec.effectiveMode == .active {
                actuation = .targetConflict(message: "\(spec.target.kind) \(spec.target.namespace(forPoolIn: key.namespace))/\(spec.target.name) is scaled by the older "
                                            + "GPUPool \(owner.pool); this pool does not change it.")
            } else {
                actuation = try await actuate(outcome.plan, spec: spec, target: target, snapshot: snapshot, removalReport: &removalReport,
                                              victimMarks: &memory.victimMarks, now: now)
            }
            standbyActuation = try await actuateStandby(outcome.plan, spec: spec, read: standbyRead, owner: standbyOwner, namespace: key.namespace,
                                                        observationFresh: snapshot.observationFresh)
        } catch {
            await memories.store(memory, for: key)
            throw error
        }

        if let removal, actuation.isActuating || !WarmPoolProtection.applies(to: spec), snapshot.observationFresh {
            await protectWarmPool(removal, spec: spec, plan: outcome.plan, snapshot: snapshot)
        }
        let prePullEvent = await reconcilePrePull(of: pool, spec: spec, memory: &memory, now: now)
        if removalReport?.isPending == true {
            // The planner believes its step reached the target; busy nodes kept some, or cordoned ones are
            // still settling. The scale-down is still wanted, so the window does not start over and the
            // next reconcile goes on.
            memory.loop.plannerState.scaleDownWantedSince = wantedSince ?? now
        }
        var report = PoolStatusReport.build(pool: pool, outcome: outcome, actuation: actuation, removal: removalReport, overlaps: overlaps,
                                            discovery: discovery, tuning: tuning, tunedUse: tuned.use,
                                            freshness: snapshot.freshness, prometheus: prometheusOutcome, ownBins: memory.history.observedBinCount,
                                            lastScale: memory.lastScale ?? pool.status?.lastScale, now: now)
        memory.lastScale = report.status.lastScale
        if let standby = spec.effectiveStandby {
            report.status.standby = StandbyStatus(plan: outcome.plan, suspended: suspended.count, resume: outcome.decision.resume)
            report.events += [standbyActuation.event(target: standby.target, namespace: standby.target.namespace(forPoolIn: key.namespace),
                                                     reason: outcome.plan.standby?.reason)].compactMap { $0 }
            if !outcome.resumed.isEmpty {
                let times = outcome.resumed.map { KubeDuration(seconds: $0.rounded()).description }.joined(separator: ", ")
                report.events.append(PoolEvent(type: .normal, reason: .standbyResumed,
                                               message: "\(outcome.resumed.count) standby node(s) resumed for pending pods, in \(times)."))
            }
        }
        metrics.record(PoolGauges(outcome: outcome, status: report.status, fitted: memory.loop.forecasts.fitted,
                                  gpusPerNode: spec.nodes.gpusPerNode), for: key)
        metrics.recordHistory(available: prometheusOutcome?.available, backfilledBins: memory.backfill.lastReport?.filledBins, for: key)
        if case .scaled(let from, let to) = actuation {
            metrics.recordScale(to > from ? .up : .down, reason: outcome.plan.reason, for: key)
        }
        await history.offer(memory.stored, of: pool, key: key, bin: memory.history.binIndex(of: now))
        await memories.store(memory, for: key)
        if report.status != pool.status {
            await statuses.offer(report.status, key: key, builtFrom: storedVersion)
        }
        for event in report.events + [prePullEvent].compactMap({ $0 }) {
            await recorder.record(event.type, reason: event.reason, message: event.message, about: reference(to: pool))
        }
        logger.debug("Reconciled", metadata: [
            "pool": "\(key)", "reason": "\(outcome.plan.reason.rawValue)", "desired": "\(outcome.plan.desiredNodes)",
            "demand": "\(outcome.observation.demandGPUs)"])
        return .requeue(after: .milliseconds(Int64((tick * 1000).rounded())))
    }

    /// The CronJobs in the pool's demand namespaces read as schedules; nil when `spec.discovery.cronJobs`
    /// is Disabled.
    private func discoverSchedules(of pool: GPUPool, key: ObjectKey) -> CronJobDiscovery? {
        let spec = pool.spec.withDefaults()
        guard spec.effectiveCronJobDiscovery == .enabled else { return nil }
        let scope = DemandNamespaces(pool: key.namespace, selector: spec.demand.pods.namespaceSelector)
        return CronJobDiscovery(cronJobs: cache.cronJobs(in: scope), jobs: cache.jobs(in: scope), spec: spec,
                                nodes: cache.nodes(selector: spec.nodes.selector))
    }

    /// GPUs of the pool's queued Jobs (`spec.discovery.queuedJobs`); 0 when Disabled.
    private func queuedGPUs(of spec: GPUPoolSpec, key: ObjectKey) -> Double {
        guard spec.effectiveQueuedJobDiscovery == .enabled else { return 0 }
        let scope = DemandNamespaces(pool: key.namespace, selector: spec.demand.pods.namespaceSelector)
        return QueuedJobs.gpus(of: cache.jobs(in: scope), spec: spec, nodes: cache.nodes(selector: spec.nodes.selector))
    }

    /// The Prometheus step of a pool with `spec.demand.prometheus` (nil without): backfill its history
    /// on the first reconcile in this process (which is also the first after its ConfigMap was lost),
    /// after a spec edit of the query or the bins, and after a failure once `backfillRetryInterval` has
    /// passed; merge the bins under the pool's own (own observations win) and have the next forecast
    /// refit; read the live demand of a `HistoryAndLive` pool. A failure never throws: the pool keeps
    /// its own history and says why in `HistoryAvailable`, an event and a metric.
    private func readPrometheus(spec: GPUPoolSpec, settings: DecisionSettings, memory: inout PoolMemory,
                                key: ObjectKey, now: Date) async -> PrometheusOutcome? {
        guard let demand = spec.demand.prometheus else { return nil }
        guard let prometheus else {
            return PrometheusOutcome(history: .notConfigured, live: nil, events: [PoolEvent(
                type: .warning, reason: .historyUnavailable,
                message: "spec.demand.prometheus is set but the operator runs without --prometheus-url; the query is not read.")])
        }
        var events: [PoolEvent] = []
        let configuration = settings.forecast
        let backfillKey = BackfillMemory.Key(query: demand.effectiveHistoryQuery, step: configuration.step, history: configuration.history)
        if memory.backfill.due(for: backfillKey, now: now, retryInterval: backfillRetryInterval) {
            memory.backfill.lastAttempt = now
            do throws(DemandQueryError) {
                var (bins, report) = try await prometheus.backfill(
                    historyQuery: backfillKey.query, step: backfillKey.step, history: backfillKey.history,
                    retention: LearnedForecasts.retention(for: configuration), now: now)
                report.ownBinsKept = memory.history.overlap(with: bins)
                memory.loop.forecasts.backfill(bins)
                memory.backfill.done = backfillKey
                memory.backfill.lastReport = report
                memory.backfill.lastFailure = nil
                await history.invalidate(key)
                metrics.recordPrometheusQuery(.history, result: "ok", for: key)
                if report.filledBins > 0 {
                    events.append(PoolEvent(type: .normal, reason: .historyBackfilled, message: "Backfilled \(report.summary) from Prometheus."))
                } else {
                    events.append(PoolEvent(type: .warning, reason: .historyUnavailable,
                                            message: "Prometheus returned no usable sample for the history window (\(report.summary))."))
                }
                logger.info("Backfilled demand history from Prometheus", metadata: ["pool": "\(key)", "bins": "\(report.summary)"])
            } catch {
                let failure = PrometheusFailure(error)
                memory.backfill.lastFailure = failure
                metrics.recordPrometheusQuery(.history, result: failure.reason.rawValue, for: key)
                events.append(PoolEvent(type: .warning, reason: .historyUnavailable,
                                        message: "Backfill from Prometheus failed (\(failure.reason.rawValue)): \(failure.message)"))
                logger.warning("Prometheus backfill failed", metadata: ["pool": "\(key)", "reason": "\(failure.reason.rawValue)", "error": "\(failure.message)"])
            }
        }
        let history: PrometheusOutcome.History = memory.backfill.lastFailure.map { .failed($0) }
            ?? memory.backfill.lastReport.map { .backfilled($0) }
            ?? .failed(PrometheusFailure(reason: .prometheusUnavailable, message: "not read yet"))
        var live: PrometheusOutcome.Live?
        if demand.effectiveUse.readsLiveDemand {
            do throws(DemandQueryError) {
                live = .value(try await prometheus.liveDemand(demand.query, at: now))
                metrics.recordPrometheusQuery(.live, result: "ok", for: key)
            } catch {
                let failure = PrometheusFailure(error)
                live = .failed(failure)
                metrics.recordPrometheusQuery(.live, result: failure.reason.rawValue, for: key)
                events.append(PoolEvent(type: .warning, reason: .historyUnavailable,
                                        message: "Live demand query failed (\(failure.reason.rawValue)): \(failure.message); scale-down is held."))
            }
        }
        return PrometheusOutcome(history: history, live: live, events: events)
    }

    /// Reads the target's replicas before planning, so the plan is measured against what was asked
    /// for (see `PoolObservation.requestedNodes`). ForecastOnly pools never touch the target, not even
    /// to read it. A conflict cannot happen on a read; it is thrown like any `TargetError` would be.
    private func readTarget(spec: GPUPoolSpec, namespace: String) async throws(TargetError) -> TargetRead {
        guard spec.effectiveMode == .active else { return .notRead }
        do {
            return .read(try await api.replicas(of: spec.target, namespace: namespace))
        } catch {
            switch error {
            case .notFound(let message): return .notFound(message: message)
            case .failed(let message): return .failed(message: message)
            case .conflict: throw error
            }
        }
    }

    /// Writes the plan's replicas when they differ from what was read. A conflict is thrown so the
    /// controller requeues with backoff and the next attempt reads the target again.
    /// `victimMarks`: when this process cordoned each node of a scale-down in progress (see
    /// `VictimMarking`); what a reconcile leaves there is what the next one continues.
    private func actuate(_ plan: Plan, spec: GPUPoolSpec, target: TargetRead, snapshot: PoolSnapshot,
                         removalReport: inout NodeRemovalReport?, victimMarks: inout [String: Date],
                         now: Date) async throws(TargetError) -> Actuation {
        let earlierMarks = victimMarks
        victimMarks = [:]
        let poolNamespace = snapshot.pool.metadata.namespace ?? "", fresh = snapshot.observationFresh
        let namespace = spec.target.namespace(forPoolIn: poolNamespace)
        guard plan.actuate, spec.effectiveMode == .active else { return .forecastOnly }
        let read: TargetReplicas
        switch target {
        case .notRead: return .forecastOnly
        case .notFound(let message): return .targetNotFound(message: message)
        case .failed(let message): return .failed(message: message)
        case .read(let replicas): read = replicas
        }
        switch (spec.effectiveSemantics, ClusterAutoscalerAnnotations.bounds(in: read.annotations)) {
        case (.minimumSize, .bounded(let floor, let ceiling)):
            return try await raiseFloor(plan, current: floor, ceiling: ceiling, spec: spec, read: read, snapshot: snapshot)
        case (.minimumSize, .absent):
            return .invalidTarget(message: Self.minimumSizeUnusable(spec, namespace: namespace,
                because: "carries no \(ClusterAutoscalerAnnotations.maxSize) annotation, so cluster-autoscaler does not scale it"))
        case (.minimumSize, .invalid(let why)):
            return .invalidTarget(message: Self.minimumSizeUnusable(spec, namespace: namespace, because: why))
        case (_, .bounded), (_, .invalid):
            return .conflictingAutoscaler(message: "\(spec.target.kind) \(namespace)/\(spec.target.name) carries cluster-autoscaler's node-group "
                + "annotations (\(ClusterAutoscalerAnnotations.minSize), \(ClusterAutoscalerAnnotations.maxSize)), so cluster-autoscaler "
                + "writes its replicas; this pool does not. Set spec.target.semantics: MinimumSize to raise its min-size instead, "
                + "or remove the annotations to let Fleetcast scale it alone.")
        case (_, .absent):
            break
        }
        let marking = removal.flatMap { removal in
            VictimMarking.applies(to: spec) && fresh
                ? VictimMarking(removal: removal, target: spec.target, namespace: namespace,
                                pool: "\(poolNamespace)/\(snapshot.pool.metadata.name ?? "")")
                : nil
        }
        guard var write = Actuation.replicasToWrite(planned: plan.replicas, current: read.replicas, observationFresh: fresh) else {
            if let marking { try await releaseStaleMarks(marking, live: snapshot.liveNodes, replicas: read.replicas, keeping: []) }
            return plan.replicas < read.replicas && !fresh
                ? .heldWhileBlind(replicas: read.replicas, planned: plan.replicas)
                : .unchanged(replicas: read.replicas)
        }
        var marked: [KubeNode] = []
        if let marking {
            if write < read.replicas {
                let chosen = try await chooseAndMark(marking, spec: spec, snapshot: snapshot, replicas: read.replicas, planned: write,
                                                     markedAt: earlierMarks, now: now)
                marked = chosen.marked
                removalReport = chosen.report
                victimMarks = chosen.markedAt
                write = chosen.write
                if !chosen.report.settling.isEmpty {
                    logger.info("Cordoned nodes for scale-down; their Machines go once they stay empty", metadata: [
                        "pool": "\(poolNamespace)/\(snapshot.pool.metadata.name ?? "")", "nodes": "\(chosen.report.settling.joined(separator: ","))",
                        "settleSeconds": "\(Int(VictimMarking.settle))"])
                }
                guard write < read.replicas else { return .unchanged(replicas: read.replicas) }
            } else {
                try await releaseStaleMarks(marking, live: snapshot.liveNodes, replicas: read.replicas, keeping: [])
            }
        }
        do {
            try await api.setReplicas(write, of: spec.target, namespace: namespace, read: read)
        } catch {
            if let marking {
                for node in marked { try? await marking.release(node) }
                victimMarks = [:]
            }
            switch error {
            case .notFound(let message): return .targetNotFound(message: message)
            case .failed(let message): return .failed(message: message)
            case .conflict: throw error
            }
        }
        logger.info("Scaled target", metadata: [
            "pool": "\(poolNamespace)/\(snapshot.pool.metadata.name ?? "")", "target": "\(namespace)/\(spec.target.name)", "from": "\(read.replicas)", "to": "\(write)", "reason": "\(plan.reason.rawValue)"])
        return .scaled(from: read.replicas, to: write)
    }

    /// MinimumSize: writes the plan as cluster-autoscaler's floor, capped at its max-size. Stale
    /// observation only ever raises it, as for replicas.
    private func raiseFloor(_ plan: Plan, current: Int, ceiling: Int, spec: GPUPoolSpec, read: TargetReplicas,
                            snapshot: PoolSnapshot) async throws(TargetError) -> Actuation {
        let poolNamespace = snapshot.pool.metadata.namespace ?? "", fresh = snapshot.observationFresh
        let namespace = spec.target.namespace(forPoolIn: poolNamespace)
        let planned = min(plan.replicas, ceiling)
        guard let write = Actuation.replicasToWrite(planned: planned, current: current, observationFresh: fresh) else {
            return planned < current && !fresh ? .heldWhileBlind(replicas: current, planned: planned) : .unchanged(replicas: current)
        }
        do {
            try await api.setMinimumSize(write, of: spec.target, namespace: namespace, read: read)
        } catch {
            switch error {
            case .notFound(let message): return .targetNotFound(message: message)
            case .failed(let message): return .failed(message: message)
            case .conflict: throw error
            }
        }
        logger.info("Set target minimum size", metadata: [
            "pool": "\(poolNamespace)/\(snapshot.pool.metadata.name ?? "")", "target": "\(namespace)/\(spec.target.name)", "from": "\(current)", "to": "\(write)", "reason": "\(plan.reason.rawValue)"])
        return .scaled(from: current, to: write)
    }

    private static func minimumSizeUnusable(_ spec: GPUPoolSpec, namespace: String, because why: String) -> String {
        FieldError.invalid(FieldPath("spec").child("target").child("semantics"), .string(TargetSemantics.minimumSize.rawValue),
                           "\(spec.target.kind) \(namespace)/\(spec.target.name) \(why); a minimum size would change nothing "
                           + "(annotate it with \(ClusterAutoscalerAnnotations.minSize) and \(ClusterAutoscalerAnnotations.maxSize), "
                           + "or use TotalNodes)").description
    }

    /// Sets `scale-down-disabled` on the warm pool's nodes and removes it from nodes this pool
    /// protected before that are no longer warm (all of them when the pool no longer shares its
    /// nodes with an autoscaler). Best effort: a failed node write is logged and tried again at the
    /// next reconcile, which recomputes the whole set.
    private func protectWarmPool(_ removal: any NodeRemovalAPI, spec: GPUPoolSpec, plan: Plan, snapshot: PoolSnapshot) async {
        let pool = "\(snapshot.pool.metadata.namespace ?? "")/\(snapshot.pool.metadata.name ?? "")"
        let live = snapshot.liveNodes
        let warm = WarmPoolProtection.applies(to: spec) ? plan.warmNodes : 0
        let changes = WarmPoolProtection.changes(warmNodes: warm, nodes: live, pods: cache.pods(onNodes: Set(live.compactMap(\.metadata.name))),
                                                 pool: pool, resource: spec.effectiveDemandResource)
        for (nodes, disabled) in [(changes.protect, true), (changes.release, false)] {
            for node in nodes {
                do {
                    try await removal.setScaleDownDisabled(node, disabled: disabled, pool: pool)
                } catch {
                    logger.warning("Could not change the warm-pool annotation", metadata: ["pool": "\(pool)", "node": "\(node)", "error": "\(error)"])
                }
            }
        }
    }

    /// Chooses the nodes a Cluster API scale-down from `replicas` to `planned` removes, marks them,
    /// and returns the replicas to write: lowered only by as many Machines as are ready to go (cordoned
    /// at least `VictimMarking.settle` ago, per `markedAt`, and still empty).
    private func chooseAndMark(_ marking: VictimMarking, spec: GPUPoolSpec, snapshot: PoolSnapshot, replicas: Int, planned: Int,
                               markedAt: [String: Date], now: Date) async throws(TargetError)
        -> (write: Int, marked: [KubeNode], report: NodeRemovalReport, markedAt: [String: Date]) {
        let live = snapshot.liveNodes
        // The MachineSet deletes (Machines) − replicas; every live node has a Machine, and Machines
        // without a node yet are unhealthy, so they go after the annotated ones.
        let wanted = max(0, live.count - planned)
        let names = Set(live.compactMap(\.metadata.name))
        let choice = ScaleDownVictims.choose(count: wanted, nodes: live, pods: cache.pods(onNodes: names), pool: marking.pool,
                                             resource: spec.effectiveDemandResource)
        let victims = live.filter { choice.victims.contains($0.metadata.name ?? "") }
        try await releaseStaleMarks(marking, live: live, replicas: replicas, keeping: Set(choice.victims))
        let result = try await marking.mark(victims, markedAt: markedAt, now: now)
        let marked = result.ready
        let report = NodeRemovalReport(wanted: wanted, removing: marked.compactMap(\.metadata.name),
                                       settling: result.settling.compactMap(\.metadata.name), busy: choice.busy + result.released)
        // The MachineSet removes (Machines − replicas), marked ones first, then unhealthy ones (no node,
        // or not Ready), then any: so replicas must not go below the nodes it could count as healthy and
        // unmarked. Counted from the API server, not the cache: a Ready node the cache has not seen yet
        // would otherwise be one of the "any".
        let current = try await marking.removal.nodes(selectedBy: spec.nodes.selector).filter { $0.metadata.deletionTimestamp == nil }
        let kept = current.count - current.filter { node in marked.contains { $0.metadata.name == node.metadata.name } }.count
        let write = min(replicas, max(planned, kept, live.count - marked.count))
        return (write, marked, report, result.markedAt)
    }

    /// Releases nodes this pool marked in an earlier reconcile that are not to go now, once no
    /// scale-down is in flight (replicas at least the live nodes: the MachineSet is not about to
    /// delete a marked Machine).
    /// Returns the nodes released. `live`: the pool's nodes not being deleted.
    @discardableResult
    func releaseStaleMarks(_ marking: VictimMarking, live: [KubeNode], replicas: Int,
                           keeping: Set<String>) async throws(TargetError) -> [KubeNode] {
        let stale = marking.marked(among: live).filter { !keeping.contains($0.metadata.name ?? "") }
        guard !stale.isEmpty, replicas >= live.count else { return [] }
        for node in stale { try await marking.release(node) }
        return stale
    }

    private func reportInvalid(header: PoolHeader, key: ObjectKey, message: String, now: Date) async {
        let previous = await statuses.pending(key) ?? header.status
        let (status, event) = PoolStatusReport.invalid(pool: previous, generation: header.metadata.generation,
                                                       message: message, now: now)
        if status != previous {
            await statuses.offer(status, key: key, builtFrom: header.metadata.resourceVersion)
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
