import ArgumentParser
import ControllerRuntime
import FleetcastCLI
import Foundation
import KubeClient
import Logging
import Operator
import Prometheus
import PrometheusDemand
import ServiceLifecycle

/// `fleetcast operator`: runs the GPUPool controller against a cluster, in-cluster or from a kubeconfig.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Run the Fleetcast operator: reconcile GPUPools and scale their node pools ahead of demand.",
        discussion: """
            Watches GPUPools, their pods and nodes; forecasts each pool's demand; sets its target's replicas \
            (or, in ForecastOnly mode, only publishes the plan in status, events and metrics). Flags use \
            controller-runtime's names. Without --kubeconfig the in-cluster service account is used when \
            present, else $KUBECONFIG or ~/.kube/config.

            Cluster API management cluster: with --target-kubeconfig (and optionally --target-context) the \
            pools' targets (MachineDeployments, MachineSets, MachinePools, CapacityBuffers, Deployments: \
            whatever spec.target names, in spec.target.namespace) and the Machines a scale-down marks are \
            read and written in that cluster; pools, pods, nodes, namespaces, leases, events and history \
            stay in the workload cluster of --kubeconfig.

            Endpoints: /metrics on --metrics-bind-address (plain HTTP, or with --metrics-secure HTTPS where \
            every scrape must carry a bearer token that the API server authenticates (TokenReview) and \
            authorizes for get on the non-resource URL /metrics (SubjectAccessReview): 401 without one, \
            403 when RBAC denies it; the operator then needs create on tokenreviews and \
            subjectaccessreviews); /healthz and /readyz on --health-probe-bind-address. Both listen on \
            127.0.0.1 only unless an address says otherwise (deploy/ binds :8443 and :8081 for Prometheus \
            and the kubelet). /readyz answers 503 until the \
            informer caches have synced, and again while the pod or node cache has been out of sync with \
            the API server for longer than --stale-observation-seconds (the operator is blind then).

            SIGTERM or SIGINT stops reconciling, saves the demand history still waiting, releases the \
            leader lease and exits 0 within 7 seconds, even while the API server is failing: in-flight \
            work gets 3 seconds, then it is cancelled; history saves and a lease release the server does \
            not answer are abandoned after 2 seconds each. Losing the lease stops the process with exit \
            code 1, as controller-runtime does, once the waiting history saves are written (at most 2 seconds).

            A kubeconfig with insecure-skip-tls-verify is used, with a warning.

            Prometheus: pools with spec.demand.prometheus backfill their demand history (and, with use: \
            HistoryAndLive, read live demand) from --prometheus-url, through the same HTTP client as the \
            Kubernetes API. Without it those pools learn from their own observations and say so in their \
            HistoryAvailable condition (see docs/prometheus.md).

            Exit codes: 0 stopped by a signal; 1 leadership lost or a component failed; 2 usage or \
            configuration error.
            """)

    @Option(help: "Path to a kubeconfig. Default: in-cluster configuration, else $KUBECONFIG or ~/.kube/config.")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use.")
    var context: String?

    @Option(help: ArgumentHelp("Kubeconfig of the cluster that holds the targets and their Cluster API Machines (a management "
                               + "cluster). Default: the workload cluster itself.", valueName: "file"))
    var targetKubeconfig: String?

    @Option(help: "The context of --target-kubeconfig to use. Default: its current-context.")
    var targetContext: String?

    @Option(help: "Watch GPUPools and pods in this namespace only. Default: all namespaces.")
    var namespace: String?

    @Option(help: ArgumentHelp("Address of the /metrics endpoint (unauthenticated unless --metrics-secure): 127.0.0.1:8080 by default, :8080 for every "
                               + "interface (what an in-cluster Prometheus needs), 0 to disable it."))
    var metricsBindAddress = BindAddress(argument: "127.0.0.1:8080") ?? BindAddress(argument: "0")!

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Serve /metrics over HTTPS and let only callers the API server authenticates and authorizes for get /metrics scrape it "
        + "(kubebuilder's secure metrics; the Helm chart turns it on). Off by default for local runs."))
    var metricsSecure = false

    @Option(help: ArgumentHelp("Directory with tls.crt and tls.key for the secure /metrics endpoint. Default: a self-signed "
                               + "certificate generated at start.", valueName: "directory"))
    var metricsCertDir: String?

    @Option(help: ArgumentHelp("Address of /healthz and /readyz: 127.0.0.1:8081 by default, :8081 for every interface (what the "
                               + "kubelet's probes need), 0 to disable them."))
    var healthProbeBindAddress = BindAddress(argument: "127.0.0.1:8081") ?? BindAddress(argument: "0")!

    @Flag(help: "Elect a leader on a coordination.k8s.io Lease so only one replica acts.")
    var leaderElect = false

    @Option(help: "Namespace of the leader-election Lease. Default: the client's namespace.")
    var leaderElectionNamespace: String?

    @Option(help: ArgumentHelp("Namespace of the pools' demand-history ConfigMaps: the operator's own. Default: $POD_NAMESPACE "
                               + "(set from the downward API in deploy/), else the client's namespace."))
    var historyNamespace: String?

    @Option(help: "Log format: json or text.")
    var logFormat: LogFormat = .text

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Client-side requests per second to the API server.")
    var kubeAPIQps: Double = 20

    @Option(help: "Client-side burst of requests to the API server.")
    var kubeAPIBurst: Int = 30

    @Option(help: "Steady reconcile period of each pool, in seconds.")
    var syncPeriodSeconds: Double = 30

    @Option(help: ArgumentHelp("Seconds the pod and node caches may fail to list or watch before pools are held at their size "
                               + "(no scale-down while blind) and marked Degraded=True, reason ObservationStale."))
    var staleObservationSeconds: Double = 60

    @Option(help: ArgumentHelp("Prometheus server pools with spec.demand.prometheus read demand from, e.g. http://prometheus:9090.",
                               valueName: "url"))
    var prometheusURL: String?

    @Option(help: ArgumentHelp("File holding a bearer token for --prometheus-url (re-read as it rotates; sent only over https).",
                               valueName: "file"))
    var prometheusBearerTokenFile: String?

    @Option(help: ArgumentHelp("PEM file of the authorities that sign the Prometheus server's certificate. Default: the system store.",
                               valueName: "file"))
    var prometheusCAFile: String?

    @Option(help: "Timeout of one Prometheus request (Go duration), also sent as the query's own timeout.")
    var prometheusTimeout: CommandDuration = CommandDuration(seconds: PrometheusConfiguration.defaultTimeout)

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case json, text }

    /// The Prometheus client the flags describe; nil without --prometheus-url.
    func prometheusClient() throws(PrometheusError) -> PrometheusClient? {
        guard let prometheusURL else {
            if prometheusBearerTokenFile != nil || prometheusCAFile != nil {
                throw .configuration("--prometheus-bearer-token-file and --prometheus-ca-file need --prometheus-url")
            }
            return nil
        }
        return try PrometheusClient(configuration: PrometheusConfiguration(
            url: prometheusURL, bearerTokenFile: prometheusBearerTokenFile, certificateAuthorityFile: prometheusCAFile,
            timeout: prometheusTimeout.seconds))
    }

    func validate() throws {
        guard kubeAPIQps > 0, kubeAPIBurst > 0 else { throw ValidationError("--kube-api-qps and --kube-api-burst must be positive") }
        guard syncPeriodSeconds >= 1 else { throw ValidationError("--sync-period-seconds must be at least 1") }
        guard staleObservationSeconds > 0, staleObservationSeconds.isFinite else {
            throw ValidationError("--stale-observation-seconds must be a positive number of seconds")
        }
        if metricsCertDir != nil, !metricsSecure { throw ValidationError("--metrics-cert-dir needs --metrics-secure") }
        guard targetContext == nil || targetKubeconfig != nil else {
            throw ValidationError("--target-context needs --target-kubeconfig")
        }
    }

    func run() async throws {
        // The management cluster's kubeconfig is checked before anything starts: an unreadable file or
        // an unknown context is a plain error, not a log line.
        var targetConfiguration: ClientConfiguration?
        if let targetKubeconfig {
            do {
                targetConfiguration = try Self.targetConfiguration(kubeconfig: targetKubeconfig, context: targetContext)
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usageOrIO)
            }
        }
        let format = logFormat, level = logLevel
        LoggingSystem.bootstrap { label in
            switch format {
            case .json: return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let logger = Logger(label: "fleetcast.operator")
        var configuration: ClientConfiguration
        do {
            configuration = try Self.clientConfiguration(kubeconfig: kubeconfig, context: context)
        } catch {
            logger.critical("Cannot configure the Kubernetes client", metadata: ["error": "\(error)"])
            throw ExitCode(ExitStatus.usageOrIO)
        }
        configuration.rateLimit = RateLimit(requestsPerSecond: kubeAPIQps, burst: kubeAPIBurst)
        InsecureTLSWarning.warnIfInsecure(configuration, logger: logger)
        let prometheus: PrometheusClient?
        do {
            prometheus = try prometheusClient()
        } catch {
            logger.critical("Cannot configure the Prometheus client", metadata: ["error": "\(error)"])
            throw ExitCode(ExitStatus.usageOrIO)
        }
        let registry = PrometheusCollectorRegistry()
        let factory = DescribedMetricsFactory(registry: registry)
        let requestMetrics = KubeRequestMetrics(factory: factory)
        let client = KubeClient(configuration: configuration, observer: requestMetrics)
        // Requests to the management cluster are counted in the same series, and limited by their own bucket.
        let targetClient = targetConfiguration.map { target in
            var target = target
            target.rateLimit = RateLimit(requestsPerSecond: kubeAPIQps, burst: kubeAPIBurst)
            InsecureTLSWarning.warnIfInsecure(target, logger: logger)
            return KubeClient(configuration: target, observer: requestMetrics)
        }
        BuildInfo.publish(factory: factory)
        let podName = ProcessInfo.processInfo.environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName
        let identity = "\(podName)_\(UUID().uuidString.lowercased())"
        let pools = GPUPoolOperator(client: client, targetClient: targetClient, namespace: namespace, tick: .milliseconds(Int64(syncPeriodSeconds * 1000)),
                                    identity: identity, logger: logger, metricsFactory: factory,
                                    staleObservationLimit: .milliseconds(Int64(staleObservationSeconds * 1000)),
                                    historyNamespace: historyNamespace ?? ProcessInfo.processInfo.environment["POD_NAMESPACE"] ?? configuration.namespace,
                                    prometheus: prometheus)

        var services: [any Service] = [pools.watches]
        if !metricsBindAddress.isDisabled {
            do {
                let security = try metricsSecure ? OperatorEndpoints.MetricsSecurity(client: client, certificateDirectory: metricsCertDir) : nil
                services.append(try OperatorEndpoints.metrics(registry: registry, address: metricsBindAddress, security: security, logger: logger))
            } catch {
                logger.critical("Cannot serve secure metrics", metadata: ["error": "\(error)"])
                throw ExitCode(ExitStatus.usageOrIO)
            }
        }
        if !healthProbeBindAddress.isDisabled {
            services.append(OperatorEndpoints.probes(watches: pools.watches, address: healthProbeBindAddress, logger: logger))
        }
        if leaderElect {
            // Lease calls fail fast and are retried by the elector every retry period, as client-go's
            // leader election does: a client that retried a renewal internally with backoff could spend
            // the whole renew deadline inside one call during a burst of 5xx and give up leadership the
            // API server would have renewed (found by the chaos soak, hack/soak/soak.py).
            var leaseConfiguration = configuration
            leaseConfiguration.retry = .never
            leaseConfiguration.requestTimeout = 5
            let leaseClient = KubeClient(configuration: leaseConfiguration, observer: KubeRequestMetrics(factory: factory))
            let store = KubeLeaseStore(client: leaseClient, namespace: leaderElectionNamespace ?? configuration.namespace,
                                       name: "fleetcast-operator-leader")
            let elector = try LeaderElector(configuration: LeaderElectionConfiguration(identity: identity), store: store,
                                            clock: ContinuousClock(), logger: logger, metricsFactory: factory)
            services.append(LeaderElectedService(elector: elector, services: [pools.controller]))
        } else {
            services.append(pools.controller)
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: StopsQuietlyWhenCancelled($0)) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // In-flight reconciles and API calls may retry for up to a minute while the server fails;
        // a signal gives them this long to finish, then cancels them (the transport stops at once).
        groupConfiguration.maximumGracefulShutdownDuration = Self.gracefulShutdownLimit
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            logger.error("Operator stopped", metadata: ["error": "\(error)"])
            throw ExitCode(ExitStatus.invalid)
        }
    }

    /// How long a signal lets in-flight work finish before it is cancelled: with the history flush's
    /// and the lease release's own 2 s limits after it, the process exits within 7 s of SIGTERM.
    static let gracefulShutdownLimit: Duration = .seconds(3)

    static func clientConfiguration(kubeconfig: String?, context: String?) throws -> ClientConfiguration {
        if kubeconfig == nil, context == nil, ProcessInfo.processInfo.environment["KUBERNETES_SERVICE_HOST"] != nil {
            return try InClusterConfiguration().configuration()
        }
        return try KubeconfigLoader(explicitPath: kubeconfig).configuration(context: context)
    }

    /// The management cluster's configuration: always from the file (never in-cluster).
    static func targetConfiguration(kubeconfig: String, context: String?) throws -> ClientConfiguration {
        var loader = KubeconfigLoader(explicitPath: kubeconfig)
        loader.flags = KubeconfigLoader.Flags(kubeconfig: "--target-kubeconfig", context: "--target-context")
        return try loader.configuration(context: context)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
