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

    private static func request(of container: Container, resource: String) -> Double {
        let text = container.resources?.requests?[resource] ?? container.resources?.limits?[resource]
        return text.flatMap(Double.init) ?? 0
    }
}

/// The demand of one pool at one instant.
struct DemandTally: Sendable, Hashable {
    var gpus: Double = 0
    var pendingGPUs: Double = 0

    /// Sums the pool's pods (already filtered by the pool's demand selector and namespace).
    init(pods: [Pod], resource: String) {
        for pod in pods where PodDemand.isDemand(pod) {
            let requested = PodDemand.gpus(requestedBy: pod, resource: resource)
            gpus += requested
            if PodDemand.isPending(pod) { pendingGPUs += requested }
        }
    }
}
