import CFleetcastBuildInfo

/// What this binary is: `fleetcast --version`, `fleetcast-dev --version` and the `fleetcast_build_info` series. The version is
/// the source's; the commit is baked in by `make` (hack/build-info.sh → Sources/CFleetcastBuildInfo),
/// "unknown" from a plain `swift build`; the Swift version is the compiler's that built it.
public enum BuildInfo {
    public static let version = "0.1.0"
    public static var commit: String { String(cString: fleetcast_build_commit()) }

    public static var swiftVersion: String {
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
}

extension BuildInfo {
    /// The `--version` line of both executables.
    public static var versionLine: String { "\(version) (commit \(commit), Swift \(swiftVersion))" }
}
