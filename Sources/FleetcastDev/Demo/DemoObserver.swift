import FleetcastAPI
import Foundation
import KubeAPI
import KubeClient

/// What the demo sees at one instant, read through the API like a user with kubectl would: the
/// GPUPool's status, the pool's pods and its nodes.
struct DemoSample: Sendable {
    var time: Date
    var demandGPUs: Int
    var pendingPods: Int
    var pendingGPUs: Int
    var readyNodes: Int
    /// Nodes not yet useful: not Ready, or Ready with no GPUs allocatable yet.
    var startingNodes: Int
    /// GPUs allocatable on Ready nodes: capacity a pod can be bound to now.
    var readyGPUs: Int
    /// `status.nodes.desired`: what the operator last planned (nil before its first reconcile).
    var desiredNodes: Int?
    /// `status.startup`: the learned start-up time (p90) and how many node start-ups it is from.
    var startupP90: TimeInterval?
    var startupSamples: Int?
    /// The plan's one-sentence explanation (the Ready condition's message).
    var plan: String?
}

/// When each workload pod was created and bound, so the summary can say how long burst pods waited.
struct DemoPodTimes: Sendable {
    var created: Date
    var bound: Date?
}

/// Reads the cluster once per call and remembers every pod it has seen (pods can be deleted later
/// when demand falls, but their wait still counts).
struct DemoObserver: Sendable {
    let client: KubeClient
    let poolName: String
    let namespace: String
    let podSelector: String
    let nodeSelector: String
    let resource: String

    init(client: KubeClient, pool: GPUPool) {
        self.client = client
        poolName = pool.metadata.name ?? ""
        namespace = pool.metadata.namespace ?? "default"
        podSelector = pool.spec.demand.pods.selector.queryString
        nodeSelector = pool.spec.nodes.selector.queryString
        resource = pool.spec.withDefaults().effectiveDemandResource
    }

    /// One sample, and the pods' creation and binding times as of now.
    func sample(at now: Date) async throws(KubeError) -> (DemoSample, [String: DemoPodTimes]) {
        let pool = try await client.get(GPUPool.self, name: poolName, namespace: namespace)
        let pods = try await client.list(Pod.self, namespace: namespace, options: ListOptions(labelSelector: podSelector)).items
        let nodes = try await client.list(KubeNode.self, options: ListOptions(labelSelector: nodeSelector)).items

        var sample = DemoSample(time: now, demandGPUs: 0, pendingPods: 0, pendingGPUs: 0, readyNodes: 0, startingNodes: 0,
                                readyGPUs: 0, desiredNodes: pool.status?.nodes?.desired,
                                startupP90: pool.status?.startup?.p90?.seconds, startupSamples: pool.status?.startup?.samples,
                                plan: pool.status?.conditions?[type: "Ready"]?.message)
        var times: [String: DemoPodTimes] = [:]
        for pod in pods where pod.metadata.deletionTimestamp == nil {
            let phase = pod.status?.phase ?? "Pending"
            guard phase == "Pending" || phase == "Running" else { continue }
            let gpus = Self.gpus(requestedBy: pod, resource: resource)
            sample.demandGPUs += gpus
            let bound = !(pod.spec?.nodeName ?? "").isEmpty
            if !bound {
                sample.pendingPods += 1
                sample.pendingGPUs += gpus
            }
            if let name = pod.metadata.name, let created = pod.metadata.creationTimestamp.flatMap(KubeTime.parse) {
                times[name] = DemoPodTimes(created: created, bound: pod.status?.startTime.flatMap(KubeTime.parse))
            }
        }
        for node in nodes {
            let ready = node.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
            let gpus = Int(node.status?.allocatable?[resource] ?? "") ?? 0
            if ready, gpus > 0 {
                sample.readyNodes += 1
                sample.readyGPUs += gpus
            } else {
                sample.startingNodes += 1
            }
        }
        return (sample, times)
    }

    /// A pod's GPU request: the sum over its containers (requests, else limits), whole GPUs.
    static func gpus(requestedBy pod: Pod, resource: String) -> Int {
        (pod.spec?.containers ?? []).reduce(0) { total, container in
            total + (Int(container.resources?.requests?[resource] ?? container.resources?.limits?[resource] ?? "") ?? 0)
        }
    }
}

/// Every sample and pod seen so far; shared between the observing loop and the summary, which may
/// run after the loop was interrupted.
actor DemoRecording {
    private(set) var samples: [DemoSample] = []
    private(set) var pods: [String: DemoPodTimes] = [:]

    func record(_ sample: DemoSample, pods seen: [String: DemoPodTimes]) {
        samples.append(sample)
        pods.merge(seen) { old, new in DemoPodTimes(created: old.created, bound: old.bound ?? new.bound) }
    }
}
