import Autoscaling
import KubeAPI

/// GPUs requested by pods, the pool's demand signal. Counted like the scheduler counts a pod's
/// request: the sum over app containers, or the largest init container if that is larger (init
/// containers run one at a time, before the app containers). A missing request defaults to the
/// limit, as the API server does for extended resources.
enum PodDemand {
    /// Whole GPUs (extended resources are integers); unparseable quantities count as zero.
    static func gpus(requestedBy pod: Pod, resource: String) -> Double {
        guard let spec = pod.spec else { return 0 }
        let app = spec.containers.reduce(0.0) { $0 + request(of: $1, resource: resource) }
        let initPeak = (spec.initContainers ?? []).map { request(of: $0, resource: resource) }.max() ?? 0
        return max(app, initPeak)
    }

    /// Running or Pending and not being deleted: pods that hold or wait for GPUs.
    static func isDemand(_ pod: Pod) -> Bool {
        guard pod.metadata.deletionTimestamp == nil else { return false }
        let phase = pod.status?.phase ?? "Pending"
        return phase == "Running" || phase == "Pending"
    }

    /// Waiting for capacity: Pending and not yet bound to a node.
    static func isPending(_ pod: Pod) -> Bool {
        (pod.status?.phase ?? "Pending") == "Pending" && (pod.spec?.nodeName ?? "").isEmpty
    }

    /// Negative, NaN and unparseable requests count as zero (the API server would not admit them).
    private static func request(of container: Container, resource: String) -> Double {
        let text = container.resources?.requests?[resource] ?? container.resources?.limits?[resource]
        guard let value = text.flatMap(Double.init), value > 0 else { return 0 }
        return value
    }
}

/// The demand of one pool at one instant.
///
/// A pod runs on one node, so no pod can use more GPUs than one node of the pool holds. A larger
/// request (a typo, a pod meant for another pool, or a hostile `9223372036854775807`) is counted as
/// one node's worth and listed in `oversized`, which the pool reports as `DemandOutOfRange`: one
/// pod cannot drive the pool to its maximum, and no request, however absurd, reaches the planner's
/// arithmetic unbounded.
struct DemandTally: Sendable, Hashable {
    var gpus: Double = 0
    var pendingGPUs: Double = 0
    /// Pods whose request was capped, as `namespace/name` with what they asked for, in pod order.
    var oversized: [OversizedRequest] = []

    /// Sums the pool's pods (already filtered by the pool's demand selector and namespace), each
    /// capped at `gpusPerNode`.
    init(pods: [Pod], resource: String, gpusPerNode: Double) {
        let cap = gpusPerNode.isFinite && gpusPerNode > 0 ? gpusPerNode : 0
        for pod in pods where PodDemand.isDemand(pod) {
            var requested = PodDemand.gpus(requestedBy: pod, resource: resource)
            if !(requested <= cap) {
                oversized.append(OversizedRequest(pod: "\(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "")",
                                                  requested: requested))
                requested = cap
            }
            gpus += requested
            if PodDemand.isPending(pod) { pendingGPUs += requested }
        }
    }
}

/// A pod that asked for more GPUs than one node of its pool holds.
struct OversizedRequest: Sendable, Hashable {
    var pod: String
    /// The request as parsed (may be huge or infinite; never used in arithmetic).
    var requested: Double
}
