import Autoscaling
import ControllerRuntime
import CoreMetrics
import Synchronization

/// `PoolMetricsRecorder` over swift-metrics: a gauge per pool and value, labelled `namespace` and
/// `gpupool`, counters of scale actions and reconcile errors, and a reconcile duration histogram.
/// Keeps the handles of each pool so `forget` can remove exactly that pool's series.
public final class SwiftMetricsPoolRecorder: PoolMetricsRecorder {
    private struct ScaleKey: Hashable {
        var direction: ScaleDirection
        var reason: PlanReason
    }

    /// The series of one pool, created on first use.
    private struct PoolSeries {
        var gauges: [String: Gauge] = [:]
        var scales: [ScaleKey: Counter] = [:]
        var errors: Counter?
        var planReason: (reason: PlanReason, gauge: Gauge)?
        var queries: [String: Counter] = [:]
    }

    private let factory: any MetricsFactory
    private let reconcileDuration: Timer
    private let series = Mutex<[ObjectKey: PoolSeries]>([:])

    public init(factory: any MetricsFactory) {
        self.factory = factory
        reconcileDuration = Timer(label: FleetcastMetrics.reconcileDuration.name, preferredDisplayUnit: .seconds, factory: factory)
    }

    public func record(_ gauges: PoolGauges, for pool: ObjectKey) {
        let values: [(MetricDescription, Double?)] = [
            (FleetcastMetrics.demandGPUs, gauges.demandGPUs),
            (FleetcastMetrics.pendingGPUs, gauges.pendingGPUs),
            (FleetcastMetrics.forecastPeakGPUs, gauges.forecastPeakGPUs),
            (FleetcastMetrics.desiredNodes, Double(gauges.desiredNodes)),
            (FleetcastMetrics.readyNodes, Double(gauges.readyNodes)),
            (FleetcastMetrics.startingNodes, Double(gauges.startingNodes)),
            (FleetcastMetrics.idleNodes, Double(gauges.idleNodes)),
            (FleetcastMetrics.leadTimeSeconds, gauges.leadTimeSeconds),
            (FleetcastMetrics.hourlyCost, gauges.hourlyCost),
            (FleetcastMetrics.forecastCoverage, gauges.forecastCoverage),
            (FleetcastMetrics.gpusPerNode, Double(gauges.gpusPerNode)),
            (FleetcastMetrics.forecastMeanGPUs, gauges.forecastMeanGPUs),
            (FleetcastMetrics.forecastUpperGPUs, gauges.forecastUpperGPUs),
            (FleetcastMetrics.forecastReady, gauges.forecastReady.map { $0 ? 1 : 0 }),
            (FleetcastMetrics.forecastFittedTimestamp, gauges.forecastFittedAt),
            (FleetcastMetrics.warmNodes, Double(gauges.warmNodes)),
            (FleetcastMetrics.standbyDesiredNodes, gauges.standbyDesiredNodes.map(Double.init)),
            (FleetcastMetrics.standbyReadyNodes, gauges.standbyReadyNodes.map(Double.init)),
            (FleetcastMetrics.standbyResumeSeconds, gauges.standbyResumeSeconds),
            (FleetcastMetrics.standbyResumeP50Seconds, gauges.standbyResumeP50Seconds),
            (FleetcastMetrics.standbyResumeP90Seconds, gauges.standbyResumeP90Seconds),
        ]
        setGauges(values, for: pool)
        setPhaseGauges(gauges.startupPhases, for: pool)
        series.withLock { all in
            var current = all[pool] ?? PoolSeries()
            if current.planReason?.reason != gauges.planReason {
                current.planReason?.gauge.destroy()
                current.planReason = gauges.planReason.map { reason in
                    (reason, Gauge(label: FleetcastMetrics.planReason.name,
                                   dimensions: Self.dimensions(pool) + [("reason", reason.rawValue)], factory: factory))
                }
            }
            current.planReason?.gauge.record(1)
            all[pool] = current
        }
    }

    public func recordScale(_ direction: ScaleDirection, reason: PlanReason, for pool: ObjectKey) {
        let key = ScaleKey(direction: direction, reason: reason)
        series.withLock { all in
            var current = all[pool] ?? PoolSeries()
            let counter = current.scales[key] ?? Counter(
                label: FleetcastMetrics.scaleActions.name,
                dimensions: Self.dimensions(pool) + [("direction", direction.rawValue), ("reason", reason.rawValue)], factory: factory)
            counter.increment()
            current.scales[key] = counter
            all[pool] = current
        }
    }

    public func recordReconcile(of pool: ObjectKey, duration: Duration, failed: Bool) {
        reconcileDuration.recordNanoseconds(Self.nanoseconds(duration))
        guard failed else { return }
        series.withLock { all in
            var current = all[pool] ?? PoolSeries()
            let counter = current.errors ?? Counter(label: FleetcastMetrics.reconcileErrors.name, dimensions: Self.dimensions(pool), factory: factory)
            counter.increment()
            current.errors = counter
            all[pool] = current
        }
    }

    public func recordPrometheusQuery(_ query: PrometheusQueryKind, result: String, for pool: ObjectKey) {
        let key = "\(query.rawValue)/\(result)"
        series.withLock { all in
            var current = all[pool] ?? PoolSeries()
            let counter = current.queries[key] ?? Counter(
                label: FleetcastMetrics.prometheusQueries.name,
                dimensions: Self.dimensions(pool) + [("query", query.rawValue), ("result", result)], factory: factory)
            counter.increment()
            current.queries[key] = counter
            all[pool] = current
        }
    }

    public func recordHistory(available: Bool?, backfilledBins: Int?, for pool: ObjectKey) {
        let values: [(MetricDescription, Double?)] = [
            (FleetcastMetrics.historyAvailable, available.map { $0 ? 1 : 0 }),
            (FleetcastMetrics.backfilledBins, backfilledBins.map(Double.init)),
        ]
        setGauges(values, for: pool)
    }

    /// Sets each family's gauge of the pool; a nil value removes that series.
    private func setGauges(_ values: [(MetricDescription, Double?)], for pool: ObjectKey) {
        series.withLock { all in
            var current = all[pool] ?? PoolSeries()
            for (family, value) in values {
                if let value {
                    let gauge = current.gauges[family.name] ?? Gauge(label: family.name, dimensions: Self.dimensions(pool), factory: factory)
                    gauge.record(value)
                    current.gauges[family.name] = gauge
                } else if let stale = current.gauges.removeValue(forKey: family.name) {
                    stale.destroy()
                }
            }
            all[pool] = current
        }
    }

    /// One series per measured phase in each percentile family; a phase no longer measured loses its series.
    private func setPhaseGauges(_ phases: [StartupPhaseEstimate], for pool: ObjectKey) {
        let families = [(FleetcastMetrics.startupPhaseP50Seconds, \StartupPhaseEstimate.p50),
                        (FleetcastMetrics.startupPhaseP90Seconds, \StartupPhaseEstimate.p90)]
        series.withLock { all in
            var current = all[pool] ?? PoolSeries()
            for (family, value) in families {
                var kept = Set<String>()
                for phase in phases {
                    guard let seconds = phase[keyPath: value] else { continue }
                    let key = "\(family.name){\(phase.phase.rawValue)}"
                    let gauge = current.gauges[key] ?? Gauge(
                        label: family.name, dimensions: Self.dimensions(pool) + [("phase", phase.phase.rawValue)], factory: factory)
                    gauge.record(seconds)
                    current.gauges[key] = gauge
                    kept.insert(key)
                }
                for key in current.gauges.keys where key.hasPrefix("\(family.name){") && !kept.contains(key) {
                    current.gauges.removeValue(forKey: key)?.destroy()
                }
            }
            all[pool] = current
        }
    }

    public func forget(_ pool: ObjectKey) {
        guard let gone = series.withLock({ $0.removeValue(forKey: pool) }) else { return }
        gone.gauges.values.forEach { $0.destroy() }
        gone.scales.values.forEach { $0.destroy() }
        gone.queries.values.forEach { $0.destroy() }
        gone.errors?.destroy()
        gone.planReason?.gauge.destroy()
    }

    private static func dimensions(_ pool: ObjectKey) -> [(String, String)] {
        [("namespace", pool.namespace), ("gpupool", pool.name)]
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
