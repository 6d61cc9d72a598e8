import Foundation
import KubeAPI
import Sampling

/// One simulated node pool: the MachineDeployment that sizes it and what each of its nodes is
/// (resources, labels, taints) and how long it takes to become useful.
public struct NodePoolConfiguration: Sendable, Hashable {
    /// The MachineDeployment's name; machines and nodes are named after it.
    public var machineDeployment: String
    public var namespace: String
    public var clusterName: String
    /// Whole GPUs each node advertises as `nvidia.com/gpu` once its GPUs are initialised.
    public var gpusPerNode: Int
    /// CPU and memory capacity as Kubernetes quantities ("32", "256Gi").
    public var cpu: String
    public var memory: String
    public var labels: [String: String]
    public var taints: [Taint]
    /// From machine creation to node Ready.
    public var bootDelay: DelayDistribution
    /// From node Ready to `nvidia.com/gpu` allocatable.
    public var gpuInitDelay: DelayDistribution
    /// A pod's image pull on a node that does not have the image yet (binding to containers started).
    public var imagePullDelay: DelayDistribution = .fixed(0)
    /// The same on a node that already pulled the image (a cached pull: seconds, not minutes).
    public var cachedImagePullDelay: DelayDistribution = .fixed(0)
    /// From containers started to the pod Ready: loading the model, the readiness probe passing.
    public var modelLoadDelay: DelayDistribution = .fixed(0)
    /// How this pool's nodes behave in a standby CapacityBuffer (`buffer.gke.io/standby-capacity`).
    public var standby = StandbySettings()
    /// `spec.replicas` when the infrastructure creates the MachineDeployment.
    public var initialReplicas: Int
    /// Node-autoscaler bounds, written as the cluster-autoscaler Cluster API annotations when the
    /// node-autoscaler emulation sizes this pool (`nodeAutoscaler`).
    public var minReplicas: Int?
    public var maxReplicas: Int?
    /// When set, the cluster-autoscaler emulation sizes this pool (within min/max replicas).
    public var nodeAutoscaler: NodeAutoscalerSettings?
    /// The MachineDeployment's `spec.deletion.order` (nil: unset, which Cluster API treats as Random).
    public var deletionOrder: MachineDeletionOrder?
    /// The template's `spec.deletion.nodeDrainTimeoutSeconds` (nil or 0: drains wait for
    /// PodDisruptionBudgets as long as it takes).
    public var nodeDrainTimeout: TimeInterval?

    public init(machineDeployment: String, namespace: String = "default", clusterName: String = "dev",
                gpusPerNode: Int, cpu: String = "32", memory: String = "256Gi",
                labels: [String: String] = [:], taints: [Taint] = [],
                bootDelay: DelayDistribution = .fixed(0), gpuInitDelay: DelayDistribution = .fixed(0),
                initialReplicas: Int = 0, minReplicas: Int? = nil, maxReplicas: Int? = nil,
                nodeAutoscaler: NodeAutoscalerSettings? = nil, deletionOrder: MachineDeletionOrder? = nil,
                nodeDrainTimeout: TimeInterval? = nil) {
        self.machineDeployment = machineDeployment
        self.namespace = namespace
        self.clusterName = clusterName
        self.gpusPerNode = gpusPerNode
        self.cpu = cpu
        self.memory = memory
        self.labels = labels
        self.taints = taints
        self.bootDelay = bootDelay
        self.gpuInitDelay = gpuInitDelay
        self.initialReplicas = initialReplicas
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.nodeAutoscaler = nodeAutoscaler
        self.deletionOrder = deletionOrder
        self.nodeDrainTimeout = nodeDrainTimeout
    }

    /// The label every machine and node of this pool carries (Cluster API's own).
    public static let deploymentNameLabel = "cluster.x-k8s.io/deployment-name"

    /// The MachineDeployment to create when it is missing: replicas, selector, template labels, and
    /// the cluster-autoscaler annotations that describe a node of the pool when it has none.
    public func machineDeploymentObject() -> JSONValue {
        var annotations: [String: JSONValue] = [
            "capacity.cluster-autoscaler.kubernetes.io/gpu-count": .string(String(gpusPerNode)),
            "capacity.cluster-autoscaler.kubernetes.io/gpu-type": .string("nvidia.com/gpu"),
            "capacity.cluster-autoscaler.kubernetes.io/cpu": .string(cpu),
            "capacity.cluster-autoscaler.kubernetes.io/memory": .string(memory),
        ]
        if !labels.isEmpty {
            annotations["capacity.cluster-autoscaler.kubernetes.io/labels"] =
                .string(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        }
        if !taints.isEmpty {
            annotations["capacity.cluster-autoscaler.kubernetes.io/taints"] =
                .string(taints.map { "\($0.key)=\($0.value ?? ""):\($0.effect)" }.joined(separator: ","))
        }
        // The node-group bounds say "cluster-autoscaler sizes this group": written only when the emulated
        // cluster-autoscaler does, so a pool Fleetcast alone scales does not look shared (which Fleetcast
        // refuses as ConflictingAutoscaler).
        if nodeAutoscaler != nil {
            if let minReplicas { annotations["cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size"] = .string(String(minReplicas)) }
            if let maxReplicas { annotations["cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size"] = .string(String(maxReplicas)) }
        }
        let selector: JSONValue = .object([Self.deploymentNameLabel: .string(machineDeployment)])
        var templateSpec: [String: JSONValue] = ["clusterName": .string(clusterName)]
        if let nodeDrainTimeout { templateSpec["deletion"] = .object(["nodeDrainTimeoutSeconds": .int(Int64(nodeDrainTimeout))]) }
        var spec: [String: JSONValue] = [
            "clusterName": .string(clusterName), "replicas": .int(Int64(initialReplicas)),
            "selector": .object(["matchLabels": selector]),
            "template": .object(["metadata": .object(["labels": selector]), "spec": .object(templateSpec)]),
        ]
        if let deletionOrder { spec["deletion"] = .object(["order": .string(deletionOrder.rawValue)]) }
        return .object([
            "apiVersion": .string("cluster.x-k8s.io/v1beta2"), "kind": .string("MachineDeployment"),
            "metadata": .object(["name": .string(machineDeployment), "namespace": .string(namespace),
                                 "annotations": .object(annotations)]),
            "spec": .object(spec),
        ])
    }
}

/// A pool's standby behaviour, after GKE's standby buffers: a node set up for `setupTime` once its
/// GPUs are up (DaemonSets run, images are pre-pulled), then suspended; resumed in `resumeDelay` when
/// pending pods need it; woken every `refreshInterval` to set up again (updates, new images) and
/// suspended anew.
public struct StandbySettings: Sendable, Hashable {
    /// From asking a suspended node to resume to the node Ready with GPUs (GKE quotes about 30–35 s).
    public var resumeDelay: DelayDistribution
    /// How long a standby node stays up after its GPUs come up (or after a refresh) before it is suspended.
    public var setupTime: TimeInterval
    /// How long a node stays suspended before it is woken to refresh.
    public var refreshInterval: TimeInterval

    public init(resumeDelay: DelayDistribution = .logNormal(p50: 35, p90: 60), setupTime: TimeInterval = 60,
                refreshInterval: TimeInterval = 24 * 3600) {
        self.resumeDelay = resumeDelay
        self.setupTime = setupTime
        self.refreshInterval = refreshInterval
    }
}
