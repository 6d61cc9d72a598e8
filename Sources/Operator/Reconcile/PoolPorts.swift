import FleetcastAPI
import Forecasting
import Autoscaling
import Foundation
import KubeAPI

/// Why the target could not be read or written; decides the condition and whether to retry.
enum TargetError: Error, Sendable, Hashable {
    /// The object, or its kind, does not exist. The user must fix the spec or create the object.
    case notFound(String)
    /// Someone else changed the target since it was read: requeue and read again.
    case conflict(String)
    /// Any other API failure.
    case failed(String)
}

/// The pool's persisted memory: its demand history and the planner's carried state.
struct StoredPoolMemory: Sendable {
    var history: DemandHistory?
    var plannerState: PlannerState?
}

/// The API calls a GPUPool reconcile makes. The live implementation talks to the API server through
/// `KubeClient`; unit tests use an in-memory fake.
protocol GPUPoolAPI: Sendable {
    /// The pool as stored, or nil when it is gone. Raw JSON, so a pool that does not decode (a
    /// cluster without the CRD's schema) can still be reported as invalid.
    func pool(namespace: String, name: String) async throws -> JSONValue?
    /// Every pool in the operator's scope, raw, for the one-writer-per-target check.
    func allPools() async throws -> [JSONValue]
    /// Merge-patches the status subresource.
    func writeStatus(_ status: GPUPoolStatus, namespace: String, name: String) async throws
    /// The target's current replicas: the `/scale` subresource, or the number at `replicasPath`.
    func replicas(of target: ScaleTargetSpec, namespace: String) async throws(TargetError) -> TargetReplicas
    /// Sets the target's replicas; `read` carries the resourceVersion it was read at, so a write
    /// racing another writer fails with `.conflict` instead of overwriting it.
    func setReplicas(_ replicas: Int, of target: ScaleTargetSpec, namespace: String, read: TargetReplicas) async throws(TargetError)
    /// Sets cluster-autoscaler's min-size annotation on the target (MinimumSize), at the resourceVersion
    /// it was read at.
    func setMinimumSize(_ size: Int, of target: ScaleTargetSpec, namespace: String, read: TargetReplicas) async throws(TargetError)
    func loadMemory(of pool: GPUPool) async throws -> StoredPoolMemory?
    func saveMemory(_ memory: StoredPoolMemory, of pool: GPUPool) async throws
    /// Forgets a deleted pool's persisted memory (nothing to do when there is none).
    func deleteMemory(namespace: String, name: String) async throws
    /// The DaemonSet `name` in `namespace`, raw, or nil when there is none (a pool's pre-pull DaemonSet).
    func daemonSet(namespace: String, name: String) async throws -> JSONValue?
    /// Creates, replaces (at the resourceVersion the object carries) or deletes that DaemonSet.
    func apply(_ change: PrePullDaemonSet.Change, namespace: String, name: String) async throws
}

/// A target's replicas at a resourceVersion.
struct TargetReplicas: Sendable, Hashable {
    var replicas: Int
    var resourceVersion: String?
    /// The target's own annotations, read for Cluster API kinds (cluster-autoscaler's bounds).
    var annotations: [String: String] = [:]
}

/// The namespaces whose pods are a pool's demand: its own, or those `spec.demand.pods.namespaceSelector`
/// selects by their labels.
struct DemandNamespaces: Sendable, Hashable {
    /// The pool's namespace, the only one when `selector` is nil.
    var pool: String
    /// `{}` selects every namespace.
    var selector: LabelSelector?
}

/// What the informer caches hold, filtered for one pool.
protocol PoolObservationCache: Sendable {
    /// The pods in `namespaces` whose labels `selector` matches.
    func pods(in namespaces: DemandNamespaces, selector: LabelSelector) -> [Pod]
    func nodes(selector: LabelSelector) -> [KubeNode]
    /// Every pod bound to one of `nodes`, in any namespace (what removing those nodes would disrupt).
    func pods(onNodes nodes: Set<String>) -> [Pod]
    /// The CronJobs in `namespaces`, for schedule discovery.
    func cronJobs(in namespaces: DemandNamespaces) -> [CronJob]
    /// The Jobs in `namespaces`: past runs of the CronJobs, and jobs a queue manager holds.
    func jobs(in namespaces: DemandNamespaces) -> [Job]
    /// Whether every cache has completed its first list.
    var hasSynced: Bool { get }
    /// Since when a cache has been failing to list or watch (the earliest, when several are); nil
    /// while they all follow the API server.
    var outOfSyncSince: Date? { get }
}
