import Foundation
import KubeAPI

/// When a machine was created and when its node turns Ready and then GPU-allocatable, drawn once
/// from the pool's delay distributions when the machine is created.
struct MachineTimeline: Sendable, Hashable {
    var created: Date
    var ready: Date
    var gpuReady: Date

    func isReady(at now: Date) -> Bool { now >= ready }
    func hasGPUs(at now: Date) -> Bool { now >= gpuReady }
}

/// The Node object a pool's machine should have at an instant: NotReady while booting, Ready
/// without GPUs while the driver initialises, then advertising `nvidia.com/gpu`.
struct NodeShape {
    static let gpuResource = "nvidia.com/gpu"
    static let machineAnnotation = "cluster.x-k8s.io/machine"

    var pool: NodePoolConfiguration

    func node(named name: String, machine: String, timeline: MachineTimeline, at now: Date) -> KubeNode {
        var labels = pool.labels
        labels["kubernetes.io/hostname"] = name
        labels[NodePoolConfiguration.deploymentNameLabel] = pool.machineDeployment
        var metadata = ObjectMeta(name: name, labels: labels,
                                  annotations: [Self.machineAnnotation: machine, "cluster.x-k8s.io/owner-kind": "MachineSet",
                                                "cluster.x-k8s.io/cluster-namespace": pool.namespace, "cluster.x-k8s.io/cluster-name": pool.clusterName])
        metadata.namespace = nil
        return KubeNode(metadata: metadata,
                        spec: NodeSpec(providerID: "fleetcast://\(pool.namespace)/\(machine)",
                                       taints: pool.taints.isEmpty ? nil : pool.taints),
                        status: status(timeline: timeline, at: now))
    }

    /// The status at `now`; without a timeline (a machine from before a restart) the node is fully up.
    /// `awakeSince`: when the node last came back from a suspension, which is when it last turned Ready.
    func status(timeline: MachineTimeline?, at now: Date, awakeSince: Date? = nil) -> NodeStatus {
        let ready = timeline?.isReady(at: now) ?? true
        let gpus = timeline?.hasGPUs(at: now) ?? true
        var resources = ["cpu": pool.cpu, "memory": pool.memory, "pods": "110"]
        if gpus { resources[Self.gpuResource] = String(pool.gpusPerNode) }
        let since = ready ? (awakeSince ?? timeline?.ready) : timeline?.created
        let condition = NodeCondition(type: "Ready", status: ready ? "True" : "False",
                                      reason: ready ? "KubeletReady" : "KubeletNotReady",
                                      message: ready ? "kubelet is posting ready status" : "node is booting",
                                      lastTransitionTime: Timestamp.rfc3339(since ?? Date(timeIntervalSince1970: 0)))
        return NodeStatus(capacity: resources, allocatable: resources, conditions: [condition])
    }
}

extension KubeNode {
    var isReady: Bool {
        status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }

    var allocatableGPUs: Int {
        status?.allocatable?[NodeShape.gpuResource].flatMap { Int($0) } ?? 0
    }
}
