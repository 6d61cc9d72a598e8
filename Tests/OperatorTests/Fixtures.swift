import Autoscaling
import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import KubeClient
import Logging
@testable import Operator

/// A pool like the README's: 8-GPU nodes selected by `fleetcast.dev/pool: a100`, scaling a
/// MachineDeployment, demand from pods labelled `app: train`.
func makePool(
    name: String = "a100", namespace: String = "gpu", mode: PoolMode? = nil, min: Int? = nil, max: Int = 10,
    schedules: [ScheduleSpec]? = nil, startup: KubeDuration = .minutes(12), stabilization: KubeDuration = .minutes(15),
    semantics: TargetSemantics? = nil
) -> GPUPool {
    var metadata = ObjectMeta(name: name, namespace: namespace)
    metadata.uid = "uid-\(name)"
    metadata.generation = 3
    return GPUPool(metadata: metadata, spec: GPUPoolSpec(
        mode: mode,
        nodes: NodesSpec(selector: LabelSelector(matchLabels: ["fleetcast.dev/pool": name]), gpusPerNode: 8, min: min, max: max),
        target: ScaleTargetSpec(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineDeployment", name: name, semantics: semantics),
        demand: DemandSpec(pods: PodDemandSpec(selector: LabelSelector(matchLabels: ["app": "train"]))),
        schedules: schedules,
        startup: StartupSpec(expected: startup),
        scaleDown: ScaleDownSpec(stabilizationWindow: stabilization, maxNodesPerStep: 1)))
}

func gpuPod(_ name: String, gpus: Int, phase: String = "Running", node: String? = nil, namespace: String = "gpu") -> Pod {
    var metadata = ObjectMeta(name: name, namespace: namespace, labels: ["app": "train"])
    metadata.uid = "pod-\(name)"
    var spec = PodSpec(containers: [Container(name: "main", resources: ResourceRequirements(requests: ["nvidia.com/gpu": "\(gpus)"]))])
    spec.nodeName = node
    return Pod(metadata: metadata, spec: spec, status: PodStatus(phase: phase))
}

func gpuNode(_ name: String, pool: String = "a100", ready: Bool = true, created: Date, readyAt: Date? = nil, gpus: Int = 8) -> KubeNode {
    var metadata = ObjectMeta(name: name, labels: ["fleetcast.dev/pool": pool])
    metadata.uid = "node-\(name)"
    metadata.creationTimestamp = KubeTime.format(created)
    let condition = NodeCondition(type: "Ready", status: ready ? "True" : "False",
                                  lastTransitionTime: KubeTime.format(readyAt ?? created))
    return KubeNode(metadata: metadata, status: NodeStatus(allocatable: ready ? ["nvidia.com/gpu": "\(gpus)"] : [:], conditions: [condition]))
}

/// An in-memory API server for one reconciler: pools, one scale target per name, history ConfigMaps.
final class FakePoolAPI: GPUPoolAPI {
    struct State {
        var pools: [String: JSONValue] = [:]
        var replicas: [String: Int] = [:]
        var targetVersion = 1
        var memories: [String: StoredPoolMemory] = [:]
        var replicaWrites: [Int] = []
        /// Annotations of each target (cluster-autoscaler's bounds).
        var annotations: [String: [String: String]] = [:]
        var minimumSizeWrites: [Int] = []
        var statusWrites = 0
        var conflictNextWrite = false
        /// Pre-pull DaemonSets by `namespace/name`, and every change written.
        var daemonSets: [String: JSONValue] = [:]
        var daemonSetWrites: [PrePullDaemonSet.Change] = []
        var daemonSetReads = 0
    }

    let state = LockedValue(State())

    func put(_ pool: GPUPool) throws {
        let raw = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(pool))
        state.withLock { $0.pools[pool.metadata.name ?? ""] = raw }
    }

    func putRaw(_ raw: JSONValue, name: String) {
        state.withLock { $0.pools[name] = raw }
    }

    func stored(_ name: String) throws -> GPUPool? {
        guard let raw = state.value.pools[name] else { return nil }
        return try JSONDecoder().decode(GPUPool.self, from: JSONEncoder().encode(raw))
    }

    func status(_ name: String) throws -> GPUPoolStatus? {
        guard let raw = state.value.pools[name] else { return nil }
        return try JSONDecoder().decode(PoolHeader.self, from: JSONEncoder().encode(raw)).status
    }

    func pool(namespace: String, name: String) async throws -> JSONValue? {
        state.value.pools[name]
    }

    func allPools() async throws -> [JSONValue] {
        state.value.pools.sorted { $0.key < $1.key }.map(\.value)
    }

    func writeStatus(_ status: GPUPoolStatus, namespace: String, name: String) async throws {
        let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(status))
        state.withLock { state in
            guard case .object(var members)? = state.pools[name] else { return }
            members["status"] = encoded
            state.pools[name] = .object(members)
            state.statusWrites += 1
        }
    }

    func replicas(of target: ScaleTargetSpec, namespace: String) async throws(TargetError) -> TargetReplicas {
        let found = state.withLock { state in
            state.replicas[target.name].map {
                TargetReplicas(replicas: $0, resourceVersion: "\(state.targetVersion)", annotations: state.annotations[target.name] ?? [:])
            }
        }
        guard let found else { throw .notFound("\(target.kind) \(namespace)/\(target.name) not found") }
        return found
    }

    func setReplicas(_ replicas: Int, of target: ScaleTargetSpec, namespace: String, read: TargetReplicas) async throws(TargetError) {
        let conflict = state.withLock { state -> Bool in
            if state.conflictNextWrite || read.resourceVersion != "\(state.targetVersion)" {
                state.conflictNextWrite = false
                return true
            }
            state.replicas[target.name] = replicas
            state.targetVersion += 1
            state.replicaWrites.append(replicas)
            return false
        }
        if conflict { throw .conflict("\(target.name) changed") }
    }

    func setMinimumSize(_ size: Int, of target: ScaleTargetSpec, namespace: String, read: TargetReplicas) async throws(TargetError) {
        let conflict = state.withLock { state -> Bool in
            guard read.resourceVersion == "\(state.targetVersion)" else { return true }
            state.annotations[target.name, default: [:]][ClusterAutoscalerAnnotations.minSize] = String(size)
            state.targetVersion += 1
            state.minimumSizeWrites.append(size)
            return false
        }
        if conflict { throw .conflict("\(target.name) changed") }
    }

    func loadMemory(of pool: GPUPool) async throws -> StoredPoolMemory? {
        state.value.memories[pool.metadata.name ?? ""]
    }

    func saveMemory(_ memory: StoredPoolMemory, of pool: GPUPool) async throws {
        // Through the real ConfigMap encoding, so what is restored is what would be stored.
        let map = try HistoryConfigMap.encode(memory, for: pool, in: "fleetcast-system")
        state.withLock { $0.memories[pool.metadata.name ?? ""] = HistoryConfigMap.decode(map) }
    }

    func deleteMemory(namespace: String, name: String) async throws {
        state.withLock { _ = $0.memories.removeValue(forKey: name) }
    }

    func daemonSet(namespace: String, name: String) async throws -> JSONValue? {
        state.withLock { state in
            state.daemonSetReads += 1
            return state.daemonSets["\(namespace)/\(name)"]
        }
    }

    func apply(_ change: PrePullDaemonSet.Change, namespace: String, name: String) async throws {
        state.withLock { state in
            switch change {
            case .none, .foreign: return
            case .create(let object), .update(let object): state.daemonSets["\(namespace)/\(name)"] = object
            case .delete: state.daemonSets["\(namespace)/\(name)"] = nil
            }
            state.daemonSetWrites.append(change)
        }
    }
}

/// Pods and nodes as an informer would hold them.
final class FakeObservationCache: PoolObservationCache {
    struct State {
        var pods: [Pod] = []
        var nodes: [KubeNode] = []
        var cronJobs: [CronJob] = []
        var jobs: [Job] = []
        var synced = true
        var outOfSyncSince: Date?
    }

    let state = LockedValue(State())

    /// Namespace labels, for pools with a namespace selector.
    let namespaceLabels = LockedValue<[String: [String: String]]>([:])

    func pods(in namespaces: DemandNamespaces, selector: LabelSelector) -> [Pod] {
        state.value.pods.filter { inScope($0.metadata, namespaces) && selector.matches($0.metadata.labels ?? [:]) }
    }

    func cronJobs(in namespaces: DemandNamespaces) -> [CronJob] {
        state.value.cronJobs.filter { inScope($0.metadata, namespaces) }
    }

    func jobs(in namespaces: DemandNamespaces) -> [Job] {
        state.value.jobs.filter { inScope($0.metadata, namespaces) }
    }

    private func inScope(_ metadata: ObjectMeta, _ namespaces: DemandNamespaces) -> Bool {
        let labels = namespaceLabels.value
        let namespace = metadata.namespace ?? ""
        return namespaces.selector.map { $0.matches(labels[namespace] ?? [:]) && labels[namespace] != nil }
            ?? (namespace == namespaces.pool)
    }

    func nodes(selector: LabelSelector) -> [KubeNode] {
        state.value.nodes.filter { selector.matches($0.metadata.labels ?? [:]) }
    }

    func pods(onNodes nodes: Set<String>) -> [Pod] {
        state.value.pods.filter { nodes.contains($0.spec?.nodeName ?? "") }
    }

    var hasSynced: Bool { state.value.synced }
    var outOfSyncSince: Date? { state.value.outOfSyncSince }
}

/// A reconciler wired to fakes and a manual clock.
struct ReconcilerHarness {
    let clock = ManualClock()
    let api = FakePoolAPI()
    let cache = FakeObservationCache()
    let sink = RecordingEventSink()
    let memories = PoolMemoryStore()
    /// The operator's history writer over the fake API; nothing runs it, so tests `flush` it (see
    /// `reconcileAndSave`) when they look at what was stored.
    let history: PoolHistoryWriter
    /// The operator's status writer over the fake API; flushed the same way.
    let statuses: PoolStatusWriter

    init() {
        history = PoolHistoryWriter(api: api, logger: Logger(label: "test"))
        statuses = PoolStatusWriter(api: api, logger: Logger(label: "test"))
    }

    func reconciler(tick: TimeInterval = 30) -> GPUPoolReconciler {
        let clock = clock
        let recorder = DeduplicatingEventRecorder(sink: sink, clock: clock, wallClock: { clock.date },
                                                  reportingController: "fleetcast-operator", reportingInstance: "test",
                                                  logger: Logger(label: "test"))
        return GPUPoolReconciler(api: api, cache: cache, recorder: recorder, memories: memories, history: history,
                                 statuses: statuses, now: { clock.date }, tick: tick, logger: Logger(label: "test"))
    }

    var eventReasons: [String] {
        sink.writes.compactMap { if case .create(let event) = $0 { return event.reason } else { return nil } }
    }
}

extension GPUPoolStatus {
    func condition(_ type: GPUPoolConditionType) -> Condition? {
        conditions?[type: type.rawValue]
    }
}

extension GPUPoolReconciler {
    /// Reconciles, then waits until the history and the status the reconcile offered are written: the
    /// operator's writers write in the background, and tests that read what is stored flush them.
    @discardableResult
    func reconcileAndSave(_ key: ObjectKey) async throws -> ReconcileResult {
        do {
            let result = try await reconcile(key)
            await flushWriters()
            return result
        } catch {
            await flushWriters()
            throw error
        }
    }

    func flushWriters() async {
        await history.flush()
        await statuses.flush()
    }
}
