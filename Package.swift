// swift-tools-version: 6.1
import PackageDescription

/// Settings every Fleetcast module is built with: Swift 6 language mode (the tools default) plus
/// explicit `any` for existentials, so the cost of dynamic dispatch is always visible.
let fleetcastSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "fleetcast",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Kubernetes apimachinery value types shared by the client, the virtual cluster and the API. No I/O.
        .target(name: "KubeAPI", swiftSettings: fleetcastSettings),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"], swiftSettings: fleetcastSettings),

        // libcurl plus non-variadic shims for its variadic setopt/getinfo calls. Only KubeClient imports it.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Kubernetes API client over libcurl: configuration, typed REST, watch, retries, informers.
        .target(
            name: "KubeClient",
            dependencies: ["CCurl", "KubeAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: fleetcastSettings
        ),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeAPI"], swiftSettings: fleetcastSettings),

        // Pure, synchronous demand forecasting: history, seasonal models, schedules, quantiles.
        .target(name: "Forecasting", swiftSettings: fleetcastSettings),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting"], swiftSettings: fleetcastSettings),
    ]
)
