import CFleetcastBuildInfo
import CoreMetrics
import Operator

/// What this binary is: `fleetcast --version` and the `fleetcast_build_info` series. The version is
/// the source's; the commit is baked in by `make` (hack/build-info.sh → Sources/CFleetcastBuildInfo),
/// "unknown" from a plain `swift build`; the Swift version is the compiler's that built it.
enum BuildInfo {
    static let version = "0.1.0"
    static var commit: String { String(cString: fleetcast_build_commit()) }

    static var swiftVersion: String {
        #if compiler(>=6.4)
        return ">=6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "<6.1"
        #endif
    }

    /// `fleetcast_build_info{version,commit,swift_version} 1`, as kube-state-metrics and Prometheus
    /// publish theirs: dashboards join on it, and its absence means the operator is not scraped.
    static func publish(factory: any MetricsFactory) {
        Gauge(label: FleetcastMetrics.buildInfo.name,
              dimensions: [("version", version), ("commit", commit), ("swift_version", swiftVersion)], factory: factory).record(1)
    }
}
