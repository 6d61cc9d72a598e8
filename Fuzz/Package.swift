// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer targets for Fleetcast's parsers and decision core. A separate package (as swift-protobuf's
/// and grpc-swift's FuzzTesting) so that `-sanitize=fuzzer,address` reaches every module under test
/// without touching the main build: `hack/fuzz/build.sh` builds it in `.build-fuzz` with
/// `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`, and libFuzzer supplies `main`.
/// Debug builds compile the package's modules with `-enable-testing`, so targets may use
/// `@testable import` to reach internal entry points (the kubeconfig parser, the cluster's API handler).
/// See docs/fuzzing.md.
let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "FleetcastFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "fleetcast", path: "..")],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: settings),
        .executableTarget(name: "FuzzCron", dependencies: ["FuzzSupport", .product(name: "Cron", package: "fleetcast")],
                          swiftSettings: settings),
        .executableTarget(name: "FuzzTraceCSV", dependencies: ["FuzzSupport", .product(name: "Traces", package: "fleetcast")],
                          swiftSettings: settings),
        .executableTarget(name: "FuzzGPUPoolManifest",
                          dependencies: ["FuzzSupport", .product(name: "FleetcastAPI", package: "fleetcast")],
                          swiftSettings: settings),
        .executableTarget(name: "FuzzKubeconfig", dependencies: ["FuzzSupport", .product(name: "KubeClient", package: "fleetcast")],
                          swiftSettings: settings),
        .executableTarget(name: "FuzzJSONTape",
                          dependencies: ["FuzzSupport", .product(name: "KubeClient", package: "fleetcast"),
                                         .product(name: "KubeAPI", package: "fleetcast")],
                          swiftSettings: settings),
        .executableTarget(name: "FuzzClusterRequest",
                          dependencies: ["FuzzSupport", .product(name: "VirtualCluster", package: "fleetcast"),
                                         .product(name: "KubeAPI", package: "fleetcast")],
                          swiftSettings: settings),
        .executableTarget(name: "FuzzPlanner",
                          dependencies: ["FuzzSupport", .product(name: "Operator", package: "fleetcast"),
                                         .product(name: "Autoscaling", package: "fleetcast"),
                                         .product(name: "PoolPolicy", package: "fleetcast"),
                                         .product(name: "Forecasting", package: "fleetcast"),
                                         .product(name: "FleetcastAPI", package: "fleetcast"),
                                         .product(name: "KubeAPI", package: "fleetcast")],
                          swiftSettings: settings),
    ]
)
