import CoreMetrics
import FleetcastCLI
import Operator

extension BuildInfo {
    /// `fleetcast_build_info{version,commit,swift_version} 1`, as kube-state-metrics and Prometheus
    /// publish theirs: dashboards join on it, and its absence means the operator is not scraped.
    static func publish(factory: any MetricsFactory) {
        Gauge(label: FleetcastMetrics.buildInfo.name,
              dimensions: [("version", version), ("commit", commit), ("swift_version", swiftVersion)], factory: factory).record(1)
    }
}
