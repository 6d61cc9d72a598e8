import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import KubeClient
import Logging
import VirtualCluster
import VirtualInfrastructure
@testable import Operator

/// The operator's end-to-end world: the in-process virtual cluster over HTTPS with the repository's
/// CRDs, namespace `gpu`, a MachineDeployment `gpu/a100` (plain, or driven by the simulated GPU
/// infrastructure), the real `KubeClient` and informers, and one `ManualClock` that is the cluster's
/// clock, the reconciler's clock and the infrastructure's clock. Tests move time by hand and wait
/// for the caches with a generous bound; nothing depends on how fast the machine is.
struct OperatorTestCluster {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let key = ObjectKey(namespace: "gpu", name: "a100")
    /// The operator's namespace, where history ConfigMaps are kept (as deployed).
    static let historyNamespace = "fleetcast-system"
    static let machineDeployments = ResourceDescriptor(
        GroupVersionResource(group: "cluster.x-k8s.io", version: "v1beta2", resource: "machinedeployments"), scope: .namespaced,
        kind: "MachineDeployment")

    /// 08:00 UTC yesterday: on the hour, so cron schedules fall where tests put them, and in the past,
    /// because the cluster's serving certificate is issued at the cluster's time and checked against the
    /// real one.
    static var origin: Date {
        let day: TimeInterval = 86_400
        return Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / day).rounded(.down) * day - day + 8 * 3600)
    }

    let clock: ManualClock
    let cluster: RunningVirtualCluster
    let client: KubeClient
    let kubeconfig: ClientConfiguration
    let watches: PoolWatches
    let watchTask: Task<Void, Never>
    let infrastructure: VirtualInfrastructure?
    /// The Cluster API management cluster holding the MachineDeployment and its Machines, when the test
    /// runs the operator with a separate target cluster (`--target-kubeconfig`); nil: `cluster` holds them.
    var management: RunningVirtualCluster? = nil
    /// The operator's client of `management`, and its configuration.
    var targetClient: KubeClient? = nil
    var targetKubeconfig: ClientConfiguration? = nil
    /// The MachineDeployment's namespace: `gpu`, or the management cluster's namespace.
    var targetNamespace = "gpu"
    /// The reconciler's memory, shared by every `reconciler()` so consecutive reconciles are one
    /// operator's life; a restart test makes a new store.
    let memories = PoolMemoryStore()

    /// - Parameters:
    ///   - infrastructure: node pools to simulate; empty for a bare MachineDeployment with no nodes.
    ///   - manifests: applied after the CRDs and the namespace, before the pool (placeholders, PriorityClasses).
    ///   - retry: the client's retry policy (fault tests use a short one so failures surface quickly).
    ///   - logger: where the informers' watchdog logs (tests that assert on warnings record it).
    ///   - configure: changes to the virtual cluster's configuration (extra tokens, RBAC).
    ///   - managementNamespace: start a second cluster, a Cluster API management cluster, whose
    ///     namespace of that name holds the MachineDeployment and its Machines (the simulated pools
    ///     must be in it); the workload cluster then has no Cluster API CRDs at all.
    ///   - managementManifests: applied in the management cluster after its CRDs (its RBAC).
    ///   - configureManagement: changes to the management cluster's configuration, after `configure`'s
    ///     (last, so a trailing closure stays `configure`).
    static func start(
        poolYAML: String, infrastructure pools: [NodePoolConfiguration] = [], manifests: String? = nil,
        retry: RetryPolicy = RetryPolicy(), seed: UInt64 = 7, logger: Logger = Logger(label: "e2e"), origin: Date = origin,
        managementNamespace: String? = nil, managementManifests: String? = nil,
        configure: (inout VirtualClusterConfiguration) -> Void = { _ in },
        configureManagement: (inout VirtualClusterConfiguration) -> Void = { _ in }
    ) async throws -> OperatorTestCluster {
        let clock = ManualClock(origin: origin)
        var configuration = VirtualClusterConfiguration()
        configuration.httpPort = nil
        configuration.clock = { clock.date }
        configure(&configuration)
        let cluster = try await VirtualCluster.start(configuration)
        let devCRDs = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("hack/dev/crds").path)
            .sorted().filter { $0.hasSuffix(".yaml") }
        let clusterAPI = devCRDs.filter { $0.hasPrefix("cluster.x-k8s.io_") }.map { "hack/dev/crds/\($0)" }
        var crds = ["crds/fleetcast.dev_gpupools.yaml"] + devCRDs.filter { !$0.hasPrefix("cluster.x-k8s.io_") }.map { "hack/dev/crds/\($0)" }
        var management: RunningVirtualCluster?
        if let managementNamespace {
            var managementConfiguration = configuration
            configureManagement(&managementConfiguration)
            let managing = try await VirtualCluster.start(managementConfiguration)
            try await managing.apply(manifestYAML: "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(managementNamespace)}\n", file: "namespace.yaml")
            for crd in clusterAPI { try await managing.apply(manifestYAML: try Self.read(crd), file: crd) }
            if let managementManifests { try await managing.apply(manifestYAML: managementManifests, file: "management.yaml") }
            management = managing
        } else {
            crds += clusterAPI
        }
        for crd in crds {
            try await cluster.apply(manifestYAML: try Self.read(crd), file: crd)
        }
        try await cluster.apply(manifestYAML: "apiVersion: v1\nkind: Namespace\nmetadata: {name: gpu}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: \(historyNamespace)}\n",
                                file: "namespace.yaml")
        var infrastructure: VirtualInfrastructure?
        if pools.isEmpty {
            try await (management ?? cluster).apply(manifestYAML: """
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: MachineDeployment
                metadata: {name: a100, namespace: \(managementNamespace ?? "gpu")}
                spec: {clusterName: dev, replicas: 0}
                """, file: "target.yaml")
        } else {
            let simulated = VirtualInfrastructure(cluster: cluster, managementCluster: management,
                                                  configuration: InfrastructureConfiguration(pools: pools, seed: seed))
            try await simulated.install()
            try await simulated.step(at: clock.date)
            infrastructure = simulated
        }
        if let manifests { try await cluster.apply(manifestYAML: manifests, file: "manifests.yaml") }
        try await cluster.apply(manifestYAML: poolYAML, file: "pool.yaml")

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("operator-e2e-\(UUID().uuidString).yaml").path
        try cluster.writeKubeconfig(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var kubeconfig = try KubeconfigLoader(explicitPath: path, environment: [:]).configuration()
        kubeconfig.retry = retry
        let client = KubeClient(configuration: kubeconfig)
        // A short backoff, so caches that were made to fail recover promptly once the faults are cleared.
        let watches = PoolWatches(client: client, namespace: nil, logger: logger, now: { clock.date },
                                  backoff: ExponentialBackoff(initial: 0.05, maximum: 0.5, multiplier: 2, jitter: 1)) { _ in }
        let task = Task { _ = try? await watches.run() }
        try await watches.pods.waitUntilSynced()
        try await watches.nodes.waitUntilSynced()
        try await watches.pools.waitUntilSynced()
        try await watches.namespaces?.waitUntilSynced()
        // Readiness needs the CronJob and Job caches too (schedule discovery); without this a test that
        // checks readiness first could find them still listing.
        try await watches.cronJobs.waitUntilSynced()
        try await watches.jobs.waitUntilSynced()
        var environment = OperatorTestCluster(clock: clock, cluster: cluster, client: client, kubeconfig: kubeconfig, watches: watches,
                                              watchTask: task, infrastructure: infrastructure)
        if let management, let managementNamespace {
            environment.management = management
            let targetKubeconfig = try Self.configuration(of: management, retry: retry)
            environment.targetKubeconfig = targetKubeconfig
            environment.targetClient = KubeClient(configuration: targetKubeconfig)
            environment.targetNamespace = managementNamespace
        }
        return environment
    }

    private static func read(_ file: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
    }

    /// A configuration of `cluster` from a kubeconfig file, as the operator's `--target-kubeconfig` loads it.
    private static func configuration(of cluster: RunningVirtualCluster, retry: RetryPolicy) throws -> ClientConfiguration {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("operator-e2e-target-\(UUID().uuidString).yaml").path
        try cluster.writeKubeconfig(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var loader = KubeconfigLoader(explicitPath: path, environment: [:])
        loader.flags = KubeconfigLoader.Flags(kubeconfig: "--target-kubeconfig", context: "--target-context")
        var configuration = try loader.configuration()
        configuration.retry = retry
        return configuration
    }

    func stop() async {
        watchTask.cancel()
        await cluster.shutdown()
        await management?.shutdown()
    }

    // MARK: The operator

    /// A reconciler as the operator builds it, on the manual clock, with this cluster's memory store
    /// unless another is given (a restarted operator starts with an empty one).
    func reconciler(memories: PoolMemoryStore? = nil, client: KubeClient? = nil, targetClient: KubeClient? = nil,
                    cache: (any PoolObservationCache)? = nil, identity: String = "e2e", marksVictims: Bool = true,
                    historyNamespace: String = Self.historyNamespace) -> GPUPoolReconciler {
        let clock = clock
        let client = client ?? self.client
        let targetClient = targetClient ?? self.targetClient
        let recorder = DeduplicatingEventRecorder(
            sink: KubeEventSink(client: client), clock: clock, wallClock: { clock.date },
            reportingController: "fleetcast-operator", reportingInstance: identity, logger: Logger(label: "e2e"))
        let api = KubeGPUPoolAPI(client: client, targetClient: targetClient, pools: watches.pools, historyNamespace: historyNamespace)
        return GPUPoolReconciler(api: api, cache: cache ?? watches.observationCache, recorder: recorder,
                                 memories: memories ?? self.memories, history: PoolHistoryWriter(api: api, logger: Logger(label: "e2e")),
                                 statuses: PoolStatusWriter(api: api, logger: Logger(label: "e2e")),
                                 now: { clock.date }, tick: 30, logger: Logger(label: "e2e"),
                                 removal: marksVictims ? KubeNodeRemoval(client: client, machineClient: targetClient) : nil)
    }

    /// Waits until the informers hold what the API server holds, then reconciles the pool once.
    @discardableResult
    func reconcile() async throws -> ReconcileResult {
        try await cachesCaughtUp()
        return try await reconciler().reconcileAndSave(Self.key)
    }

    /// Moves the clock `seconds` ahead, steps the simulated infrastructure there (if any), and reconciles.
    @discardableResult
    func tick(_ seconds: TimeInterval = 30) async throws -> ReconcileResult {
        try await advance(seconds)
        return try await reconcile()
    }

    /// The API server answers every pod and node list and watch with 503 and drops the open watches;
    /// returns once both informers report they are failing. `cluster.faults.clear()` ends it.
    func blindPodsAndNodes() async throws {
        cluster.faults.fail(RequestMatch(method: "GET", pathContains: "/pods"), code: 503, times: 1_000_000)
        cluster.faults.fail(RequestMatch(method: "GET", pathContains: "/nodes"), code: 503, times: 1_000_000)
        // Dropped again on every poll: a watch that was being accepted while the faults were set can
        // register after one drop and stay open, leaving that informer in sync (seen under load).
        try await eventually("the pod and node informers notice they are failing") {
            cluster.dropAllWatches()
            return watches.pods.outOfSyncSince != nil && watches.nodes.outOfSyncSince != nil
        }
    }

    /// Moves the clock and steps the infrastructure, without reconciling.
    func advance(_ seconds: TimeInterval) async throws {
        clock.advance(by: .milliseconds(Int64((seconds * 1000).rounded())))
        try await infrastructure?.step(at: clock.date)
    }

    /// Polls until the pod, node and pool caches have exactly the objects (and versions) the API
    /// server lists. The bound is generous; it only turns a hang into a failure.
    func cachesCaughtUp() async throws {
        try await eventually("informer caches catch up with the API server") {
            let pods = try await versions("/api/v1/pods")
            let nodes = try await versions("/api/v1/nodes")
            let pools = try await versions("/apis/fleetcast.dev/v1alpha1/gpupools")
            let namespaces = try await versions("/api/v1/namespaces")
            return pods == Self.versions(watches.pods.list().map(\.metadata))
                && namespaces == Self.versions(watches.namespaces?.list().map(\.metadata) ?? [])
                && nodes == Self.versions(watches.nodes.list().map(\.metadata))
                && pools == Self.versions(watches.pools.list().map(\.metadata))
        }
    }

    private func versions(_ path: String) async throws -> Set<String> {
        struct Item: Decodable { var metadata: ObjectMeta }
        return Self.versions(try await list(path, as: Item.self).map(\.metadata))
    }

    private static func versions(_ metadata: [ObjectMeta]) -> Set<String> {
        Set(metadata.map { "\($0.namespace ?? "")/\($0.name ?? "")@\($0.resourceVersion ?? "")" })
    }

    // MARK: Reading the cluster

    /// The MachineDeployment's replicas, in whichever cluster holds it.
    func replicas() async throws -> Int {
        Int(try await (targetClient ?? client).get(Self.machineDeployments, name: "a100", namespace: targetNamespace, subresource: "scale",
                                                  as: Scale.self).spec.replicas)
    }

    /// `kubectl scale machinedeployment a100 --replicas=N`, as a person (or another controller) would.
    func setReplicas(_ replicas: Int) async throws {
        _ = try await (management ?? cluster).serve(
            method: "PATCH", path: "/apis/cluster.x-k8s.io/v1beta2/namespaces/\(targetNamespace)/machinedeployments/a100/scale",
            body: Data(#"{"spec":{"replicas":\#(replicas)}}"#.utf8))
    }

    /// Machines in the management cluster (or this one), read in-process.
    func machines() async throws -> [JSONValue] {
        try JSONDecoder().decode(ItemList<JSONValue>.self, from: try await (management ?? cluster).serve(
            method: "GET", path: "/apis/cluster.x-k8s.io/v1beta2/namespaces/\(targetNamespace)/machines")).items
    }

    func pool() async throws -> GPUPool {
        try await client.get(GPUPool.descriptor, name: "a100", namespace: "gpu", subresource: nil, as: GPUPool.self)
    }

    func condition(_ type: GPUPoolConditionType) async throws -> Condition? {
        try await pool().status?.conditions?[type: type.rawValue]
    }

    func events() async throws -> [Event] {
        try await client.list(Event.descriptor, namespace: "gpu", options: ListOptions(), as: Event.self).items
    }

    func eventReasons() async throws -> [String] {
        try await events().compactMap(\.reason)
    }

    /// Pods in `gpu`, read in-process (past any injected fault).
    func pods() async throws -> [Pod] {
        try await list("/api/v1/namespaces/gpu/pods", as: Pod.self)
    }

    /// Nodes, read in-process (past any injected fault).
    func nodes() async throws -> [KubeNode] {
        try await list("/api/v1/nodes", as: KubeNode.self)
    }

    private func list<T: Decodable>(_ path: String, as type: T.Type) async throws -> [T] {
        try JSONDecoder().decode(ItemList<T>.self, from: try await cluster.serve(method: "GET", path: path)).items
    }

    /// Creates a training pod (counted as the pool's demand) in `gpu`.
    func createTrainingPod(_ name: String, gpus: Int) async throws {
        try await cluster.apply(manifestYAML: """
            apiVersion: v1
            kind: Pod
            metadata: {name: \(name), namespace: gpu, labels: {app: train}}
            spec:
              containers:
              - name: main
                image: trainer
                resources: {limits: {nvidia.com/gpu: "\(gpus)"}}
            """, file: "\(name).yaml")
    }

    /// The pool YAML the e2e tests vary: 8-GPU nodes labelled `fleetcast.dev/pool: a100`, demand from
    /// pods labelled `app: train`, the MachineDeployment `a100` as target.
    static func poolYAML(mode: String = "Active", nodes: String = "max: 10", extra: String = "") -> String {
        """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: a100, namespace: gpu}
        spec:
          mode: \(mode)
          nodes:
            selector: {matchLabels: {fleetcast.dev/pool: a100}}
            gpusPerNode: 8
            \(nodes)
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: a100}
          demand:
            pods:
              selector: {matchLabels: {app: train}}
        \(extra)
        """
    }

    /// A simulated pool of 8-GPU nodes for `gpu/a100`, labelled for the GPUPool's selector.
    static func simulatedPool(replicas: Int = 0, boot: TimeInterval = 0, gpuInit: TimeInterval = 0) -> NodePoolConfiguration {
        NodePoolConfiguration(machineDeployment: "a100", namespace: "gpu", gpusPerNode: 8, labels: ["fleetcast.dev/pool": "a100"],
                              bootDelay: .fixed(boot), gpuInitDelay: .fixed(gpuInit), initialReplicas: replicas)
    }
}

/// The `items` of a list response.
private struct ItemList<Item: Decodable>: Decodable {
    var items: [Item]
}

/// Polls `condition` until it holds, failing after FleetcastTesting's `waitUntil` bound with `what` in
/// the error.
func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
    try await waitUntil(what, condition)
}
