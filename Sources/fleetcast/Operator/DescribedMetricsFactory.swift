import ControllerRuntime
import CoreMetrics
import Operator
import Prometheus

/// A swift-metrics factory over a Prometheus registry that publishes `# HELP` text (swift-metrics
/// carries none, and `promtool check metrics` rejects families without it) and per-family histogram
/// buckets. Help comes from the libraries' own catalogs; a metric missing from them gets a help
/// line naming it, so the gap shows in `/metrics` rather than failing the scrape.
struct DescribedMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    let help: [String: String]
    let durationBuckets: [String: [Duration]]
    let defaultDurationBuckets: [Duration]
    let valueBuckets: [Double]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        var help = ControllerRuntimeMetricHelp.texts
        for family in FleetcastMetrics.all { help[family.name] = family.help }
        self.help = help
        durationBuckets = [
            FleetcastMetrics.reconcileDuration.name: FleetcastMetrics.reconcileDurationBuckets,
            FleetcastMetrics.apiRequestDuration.name: FleetcastMetrics.apiRequestDurationBuckets,
            "controller_runtime_reconcile_time_seconds": FleetcastMetrics.reconcileDurationBuckets,
        ]
        defaultDurationBuckets = FleetcastMetrics.apiRequestDurationBuckets
        valueBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
    }

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: help[label] ?? "Metric \(label) (no description registered).")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions, buckets: valueBuckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(descriptor: descriptor(label), labels: dimensions,
                                       buckets: durationBuckets[label] ?? defaultDurationBuckets)
    }

    func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        switch handler {
        case let gauge as Prometheus.Gauge: registry.unregisterGauge(gauge)
        case let histogram as ValueHistogram: registry.unregisterValueHistogram(histogram)
        default: break
        }
    }

    func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
