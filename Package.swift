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
    dependencies: [],
    targets: [
        // Kubernetes apimachinery value types shared by the client, the virtual cluster and the API. No I/O.
        .target(name: "KubeAPI", swiftSettings: fleetcastSettings),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"], swiftSettings: fleetcastSettings),

        // Pure, synchronous demand forecasting: history, seasonal models, schedules, quantiles.
        .target(name: "Forecasting", swiftSettings: fleetcastSettings),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting"], swiftSettings: fleetcastSettings),

        // Pure five-field cron expressions and their fire times and windows in IANA time zones.
        .target(name: "Cron", swiftSettings: fleetcastSettings),
        .testTarget(name: "CronTests", dependencies: ["Cron"], swiftSettings: fleetcastSettings),

        // Pure trace handling: reading demand-series and job-list CSVs, synthetic traces, statistics.
        .target(name: "Traces", dependencies: ["Cron"], swiftSettings: fleetcastSettings),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "Cron"], swiftSettings: fleetcastSettings),

        // Pure, synchronous planner: (policy, observation, forecast, lead time, state, now) → Plan.
        .target(name: "Autoscaling", dependencies: ["Forecasting"], swiftSettings: fleetcastSettings),
        .testTarget(name: "AutoscalingTests", dependencies: ["Autoscaling", "Forecasting"], swiftSettings: fleetcastSettings),
    ]
)
