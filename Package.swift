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
    // Libraries for the fuzz package in Fuzz/ (a separate package, built with `-sanitize=fuzzer` in its own
    // scratch path), which can only link another package's modules through its products.
    products: [
        .library(name: "Cron", targets: ["Cron"]),
        .library(name: "Traces", targets: ["Traces"]),
        .library(name: "FleetcastAPI", targets: ["FleetcastAPI"]),
        .library(name: "KubeAPI", targets: ["KubeAPI"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "Forecasting", targets: ["Forecasting"]),
        .library(name: "Autoscaling", targets: ["Autoscaling"]),
        .library(name: "PoolPolicy", targets: ["PoolPolicy"]),
        .library(name: "Operator", targets: ["Operator"]),
        .library(name: "VirtualCluster", targets: ["VirtualCluster"]),
        .executable(name: "fleetcast", targets: ["fleetcast"]),
        .executable(name: "fleetcast-dev", targets: ["FleetcastDev"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Kubernetes apimachinery value types shared by the client, the virtual cluster and the API. No I/O.
        // Its only dependency is Cron's civil-date arithmetic, which KubeTime formats RFC 3339 with.
        .target(name: "KubeAPI", dependencies: ["Cron"], swiftSettings: fleetcastSettings),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"], swiftSettings: fleetcastSettings),

        // libcurl plus non-variadic shims for its variadic setopt/getinfo calls. Only KubeClient imports it.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Kubernetes API client over libcurl: configuration, typed REST, watch, retries, informers.
        .target(
            name: "KubeClient",
            dependencies: ["CCurl", "KubeAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: fleetcastSettings
        ),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeAPI", "VirtualCluster", "Sampling", "FleetcastTesting"], swiftSettings: fleetcastSettings),

        // Pure, synchronous demand forecasting: history, seasonal models, schedules, quantiles.
        .target(name: "Forecasting", dependencies: ["Cron"], swiftSettings: fleetcastSettings),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "Cron", "Sampling"], swiftSettings: fleetcastSettings),

        // Generic controller machinery: work queue, reconcile runner, leader election, event dedupe.
        // Pure Swift concurrency driven by an injected clock; no I/O of its own.
        .target(
            name: "ControllerRuntime",
            dependencies: [
                "KubeAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: fleetcastSettings
        ),
        .testTarget(
            name: "ControllerRuntimeTests",
            dependencies: [
                "ControllerRuntime", "FleetcastTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: fleetcastSettings
        ),

        // Test support shared by every module's tests: a manual clock, in-memory fakes of ports.
        .target(name: "FleetcastTesting", dependencies: ["ControllerRuntime"], swiftSettings: fleetcastSettings),
        // Pure five-field cron expressions and their fire times and windows in IANA time zones.
        .target(name: "Cron", swiftSettings: fleetcastSettings),
        .testTarget(name: "CronTests", dependencies: ["Cron"], swiftSettings: fleetcastSettings),

        // The one seeded generator (SplitMix64, with its own stable distributions) and the one delay
        // distribution, shared by traces, the simulator, the virtual infrastructure and tests.
        .target(name: "Sampling", swiftSettings: fleetcastSettings),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling"], swiftSettings: fleetcastSettings),

        // Pure trace handling: reading demand-series and job-list CSVs, synthetic traces, statistics.
        .target(name: "Traces", dependencies: ["Cron", "Sampling"], swiftSettings: fleetcastSettings),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "Cron", "Sampling"], swiftSettings: fleetcastSettings),

        // The GPUPool resource: spec/status types, defaults, validation, YAML loading with line numbers, the CRD.
        .target(
            name: "FleetcastAPI",
            dependencies: ["KubeAPI", "Cron", .product(name: "Yams", package: "Yams")],
            swiftSettings: fleetcastSettings
        ),
        .testTarget(
            name: "FleetcastAPITests",
            dependencies: ["FleetcastAPI", "Cron", .product(name: "Yams", package: "Yams")],
            swiftSettings: fleetcastSettings
        ),

        // Pure, synchronous planner: (policy, observation, forecast, lead time, state, now) → Plan.
        .target(name: "Autoscaling", dependencies: ["Forecasting"], swiftSettings: fleetcastSettings),
        .testTarget(name: "AutoscalingTests", dependencies: ["Autoscaling", "Forecasting", "Sampling"], swiftSettings: fleetcastSettings),

        // A GPUPool spec as the decision core reads it: the one spec → planner/forecast conversion,
        // used by the operator and every CLI command.
        .target(name: "PoolPolicy", dependencies: ["FleetcastAPI", "Forecasting", "Autoscaling", "KubeAPI"], swiftSettings: fleetcastSettings),
        .testTarget(name: "PoolPolicyTests", dependencies: ["PoolPolicy", "FleetcastAPI", "Forecasting", "Autoscaling", "KubeAPI"],
                    swiftSettings: fleetcastSettings),

        // Deterministic discrete-event replay of a trace through a policy, with billing and metrics.
        .target(name: "Simulation", dependencies: ["Autoscaling", "Forecasting", "Sampling", "Cron"], swiftSettings: fleetcastSettings),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Autoscaling", "Forecasting", "Sampling"], swiftSettings: fleetcastSettings),

        // Self-tuning by replay: the knobs that meet a pool's objective at the lowest cost, found by
        // replaying its demand through the simulator's predictive run (the one decision loop). Pure.
        .target(name: "Tuning", dependencies: ["Autoscaling", "Forecasting", "PoolPolicy", "FleetcastAPI", "KubeAPI", "Simulation", "Sampling"],
                swiftSettings: fleetcastSettings),
        .testTarget(name: "TuningTests", dependencies: ["Tuning", "Autoscaling", "Forecasting", "PoolPolicy", "FleetcastAPI", "KubeAPI", "Simulation", "Sampling"],
                    swiftSettings: fleetcastSettings),

        // Demand history and live demand from Prometheus's HTTP API, over KubeClient's libcurl transport.
        .target(name: "PrometheusDemand", dependencies: ["KubeClient", "Forecasting"], swiftSettings: fleetcastSettings),
        .testTarget(name: "PrometheusDemandTests", dependencies: ["PrometheusDemand", "Forecasting", "KubeClient", "FleetcastTesting"],
                    swiftSettings: fleetcastSettings),

        // The live driver: GPUPool controllers, actuation, status and events, history persistence,
        // self-tuning by replay (Tuning), and the adapters of ControllerRuntime's ports to the API.
        .target(
            name: "Operator",
            dependencies: ["KubeAPI", "KubeClient", "ControllerRuntime", "FleetcastAPI", "Forecasting", "Autoscaling", "PoolPolicy", "Cron",
                           "PrometheusDemand", "Tuning", "Simulation", "Sampling",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "CoreMetrics", package: "swift-metrics")],
            swiftSettings: fleetcastSettings
        ),
        .testTarget(
            name: "OperatorTests",
            dependencies: ["Operator", "FleetcastTesting", "VirtualCluster", "VirtualInfrastructure", "KubeAPI", "KubeClient", "PrometheusDemand",
                           "ControllerRuntime", "FleetcastAPI", "Forecasting", "Autoscaling", "PoolPolicy", "Simulation", "Tuning",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: fleetcastSettings
        ),

        // The git commit baked in at build time by `make` (hack/build-info.sh), for fleetcast_build_info.
        .target(name: "CFleetcastBuildInfo"),

        // The system's OpenSSL libcrypto (loaded already for libcurl) for a self-signed serving certificate
        // and SHA-256, so the operator links no certificate or crypto library (swift-certificates, swift-crypto).
        .target(name: "CSystemCrypto", linkerSettings: [.linkedLibrary("crypto")]),
        .testTarget(name: "SecureMetricsTests", dependencies: ["SecureMetrics", "FleetcastTesting"], swiftSettings: fleetcastSettings),

        // Keeps GnuTLS from initializing itself when it is loaded: the operator never uses it, Debian's libcurl
        // loads it only through librtmp and libldap (docs/benchmarks.md, "Lean operator binary"). The executable
        // must export the symbol for GnuTLS to find it.
        // One glibc malloc arena for all of the binary's threads (mallopt, which Swift's Glibc does not import).
        .target(name: "CMallocArena"),
        .target(name: "CSkipGnuTLSInit",
                linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=_gnutls_global_init_skip"], .when(platforms: [.linux]))]),

        // Secure /metrics as kubebuilder serves it: HTTPS with a given or self-signed certificate, every
        // request authenticated (TokenReview) and authorized (SubjectAccessReview) by the API server.
        .target(
            name: "SecureMetrics",
            dependencies: ["KubeAPI", "KubeClient", "CSystemCrypto",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "HummingbirdTLS", package: "hummingbird"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: fleetcastSettings
        ),

        // What both executables share: exit statuses, the root command runner, build info, manifest reading,
        // and the one pool selection from `-f FILE [--pool NAME] [--set …]`. No server, no virtual cluster.
        .target(
            name: "FleetcastCLI",
            dependencies: ["FleetcastAPI", "CFleetcastBuildInfo",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Yams", package: "Yams")],
            swiftSettings: fleetcastSettings
        ),
        .testTarget(name: "FleetcastCLITests", dependencies: ["FleetcastCLI", "FleetcastAPI"], swiftSettings: fleetcastSettings),

        // The in-cluster binary and composition root: operator, validate, crd, status, forecast, simulate,
        // trace. Links neither the virtual cluster nor the virtual infrastructure (checked by
        // hack/check-architecture.py). Subcommands live one per file, in folders by command.
        .executableTarget(
            name: "fleetcast",
            dependencies: ["FleetcastCLI", "FleetcastAPI", "Traces", "Sampling", "Cron", "KubeAPI", "Forecasting", "Autoscaling", "PoolPolicy",
                           "Simulation", "Tuning", "Operator", "KubeClient", "ControllerRuntime", "PrometheusDemand", "SecureMetrics",
                           "CSkipGnuTLSInit", "CMallocArena",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "CoreMetrics", package: "swift-metrics"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: fleetcastSettings,
            // Release links a position-dependent executable that exports no symbols: no start-up relocation
            // of its pointers (the PIE's 3 MB of .rela.dyn) and no 1 MB dynamic symbol table for the loader
            // to search, 6.9 MB less idle RSS (docs/benchmarks.md, "Lean operator binary"); like Go's
            // default, the executable itself is then not address-randomized (its libraries still are).
            // It links with lld in the order of hack/bench/fleetcast.symbol-order (made by
            // hack/bench/text-order.sh from the idle operator's page faults): the code that runs sits
            // together, so the kernel's 64 KB fault-around maps less code that never runs.
            linkerSettings: [.unsafeFlags(["-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic",
                                           "-use-ld=lld", "-Xlinker", "--no-warn-symbol-ordering",
                                           "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/hack/bench/fleetcast.symbol-order"],
                                          .when(platforms: [.linux], configuration: .release))]
        ),
        // `fleetcast-dev`: the developer tools, `dev-cluster` (the virtual cluster, optionally with simulated
        // GPU infrastructure) and `demo` (which runs the `fleetcast` binary beside it as the operator).
        .executableTarget(
            name: "FleetcastDev",
            dependencies: ["FleetcastCLI", "FleetcastAPI", "Traces", "Sampling", "KubeAPI", "KubeClient", "Autoscaling", "PoolPolicy",
                           "Simulation", "VirtualCluster", "VirtualInfrastructure",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: fleetcastSettings
        ),
        // Runs the built `fleetcast` binary; depending on the executable target makes `swift test` build it.
        .testTarget(name: "fleetcastTests", dependencies: ["fleetcast", "FleetcastDev", "FleetcastTesting", "FleetcastAPI", "VirtualInfrastructure",
                                                    "FleetcastCLI", "KubeAPI", "Operator", "PoolPolicy", "Traces"], swiftSettings: fleetcastSettings),


        // A Kubernetes-compatible API server (in-memory store, discovery, CRDs, watch, patches) for tests,
        // demos and `fleetcast dev-cluster`.
        .target(
            name: "VirtualCluster",
            dependencies: [
                "KubeAPI", "Cron",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: fleetcastSettings
        ),
        .testTarget(name: "VirtualClusterTests", dependencies: ["VirtualCluster", "KubeAPI", "FleetcastTesting", "Sampling"],
                    exclude: ["Fixtures"], swiftSettings: fleetcastSettings),
        // Simulated GPU infrastructure around the virtual cluster: MachineDeployment node pools with boot
        // and GPU-init delays, Deployments → pods, a scheduler with preemption, trace-driven workloads.
        .target(name: "VirtualInfrastructure", dependencies: ["VirtualCluster", "KubeAPI", "Traces", "Sampling", .product(name: "Yams", package: "Yams")], swiftSettings: fleetcastSettings),
        .testTarget(name: "VirtualInfrastructureTests", dependencies: ["VirtualInfrastructure", "VirtualCluster", "KubeAPI", "Traces", "Sampling", "FleetcastTesting"],
                    swiftSettings: fleetcastSettings),
        // KubeClient list/watch/informer measurements against the virtual cluster (hack/bench/kube-client.sh).
        .executableTarget(
            name: "KubeClientBenchmark",
            dependencies: ["KubeClient", "KubeAPI", "VirtualCluster"],
            path: "Benchmarks/KubeClientBenchmark",
            swiftSettings: fleetcastSettings
        ),
        // Backfill of 14 days of 5-minute bins from a real Prometheus, one pool and 100 (hack/bench/prometheus-backfill.sh).
        .executableTarget(
            name: "PrometheusBackfillBenchmark",
            dependencies: ["PrometheusDemand", "Forecasting", "FleetcastTesting"],
            path: "Benchmarks/PrometheusBackfillBenchmark",
            swiftSettings: fleetcastSettings
        ),
        // LIST and watch fan-out measured over loopback HTTP (hack/bench/virtual-cluster.sh).
        .executableTarget(
            name: "VirtualClusterBenchmark",
            dependencies: ["VirtualCluster", "KubeAPI", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "Benchmarks/VirtualClusterBenchmark",
            swiftSettings: fleetcastSettings
        ),
    ]
)
