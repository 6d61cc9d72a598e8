import Foundation
import KubeAPI
import KubeClient

/// The calls a scale-down that chooses its nodes makes, apart from the replicas write: cordon and
/// mark a node, annotate its Machine `cluster.x-k8s.io/delete-machine` (what cluster-autoscaler's
/// clusterapi provider does before it lowers replicas), read the pods bound to a node straight from
/// the API server (the cache may not have seen a pod that just landed), and undo all of it.
protocol NodeRemovalAPI: Sendable {
    /// Cordons the node and records which pool did it (`ScaleDownVictims.markerAnnotation`), or,
    /// with `marked: false`, uncordons it and removes the record.
    func setCordon(_ node: String, marked: Bool, pool: String) async throws(TargetError)
    /// Adds or removes `cluster.x-k8s.io/delete-machine` on the Machine.
    func setDeleteMachine(_ machine: MachineReference, marked: Bool, apiVersion: String) async throws(TargetError)
    /// The pods bound to the node now, read from the API server.
    func podsBound(to node: String) async throws(TargetError) -> [Pod]
    /// The nodes `selector` selects now, read from the API server: how many Machines have a node the
    /// MachineSet may count as healthy, which a lagging cache can undercount.
    func nodes(selectedBy selector: LabelSelector) async throws(TargetError) -> [KubeNode]
    /// Sets (or removes) `cluster-autoscaler.kubernetes.io/scale-down-disabled: "true"` on a warm-pool
    /// node, with `WarmPoolProtection.markerAnnotation` naming the pool.
    func setScaleDownDisabled(_ node: String, disabled: Bool, pool: String) async throws(TargetError)
    /// When the Machine was created (`metadata.creationTimestamp`), the start of a node's provisioning
    /// phase; nil when the Machine is gone or has no timestamp.
    func machineCreated(_ machine: MachineReference, apiVersion: String) async throws(TargetError) -> Date?
}

extension NodeRemovalAPI {
    /// Unknown by default: a port that does not read Machines leaves the provisioning phase unmeasured.
    func machineCreated(_ machine: MachineReference, apiVersion: String) async throws(TargetError) -> Date? { nil }
}

/// `NodeRemovalAPI` over the Kubernetes API: merge patches on the Node and the Machine, and a pod
/// LIST with the field selector `spec.nodeName`. Nodes and pods are in the workload cluster
/// (`client`); Machines are where the targets are (`machineClient`: the Cluster API management
/// cluster, or the workload cluster itself).
struct KubeNodeRemoval: NodeRemovalAPI {
    static let deleteMachineAnnotation = "cluster.x-k8s.io/delete-machine"

    let client: KubeClient
    let machineClient: KubeClient
    let fieldManager: String
    private let discovery: ResourceDiscovery

    /// - Parameter machineClient: the cluster holding the Machines; default `client`.
    init(client: KubeClient, machineClient: KubeClient? = nil, fieldManager: String = "fleetcast-operator") {
        self.client = client
        self.machineClient = machineClient ?? client
        self.fieldManager = fieldManager
        self.discovery = ResourceDiscovery(client: machineClient ?? client)
    }

    func setCordon(_ node: String, marked: Bool, pool: String) async throws(TargetError) {
        let patch: JSONValue = .object([
            "spec": .object(["unschedulable": marked ? .bool(true) : .null]),
            "metadata": .object(["annotations": .object([ScaleDownVictims.markerAnnotation: marked ? .string(pool) : .null])]),
        ])
        try await mergePatch(KubeNode.descriptor, name: node, namespace: nil, patch: patch, what: "Node \(node)")
    }

    func setDeleteMachine(_ machine: MachineReference, marked: Bool, apiVersion: String) async throws(TargetError) {
        let resource = try await discovery.resource(apiVersion: apiVersion, kind: "Machine")
        let patch: JSONValue = .object(["metadata": .object(["annotations": .object([
            Self.deleteMachineAnnotation: marked ? .string("true") : .null])])])
        try await mergePatch(resource, name: machine.name, namespace: machine.namespace, patch: patch, what: "Machine \(machine)",
                             on: machineClient)
    }

    func setScaleDownDisabled(_ node: String, disabled: Bool, pool: String) async throws(TargetError) {
        let patch: JSONValue = .object(["metadata": .object(["annotations": .object([
            ClusterAutoscalerAnnotations.scaleDownDisabled: disabled ? .string("true") : .null,
            WarmPoolProtection.markerAnnotation: disabled ? .string(pool) : .null,
        ])])])
        try await mergePatch(KubeNode.descriptor, name: node, namespace: nil, patch: patch, what: "Node \(node)")
    }

    func machineCreated(_ machine: MachineReference, apiVersion: String) async throws(TargetError) -> Date? {
        let resource = try await discovery.resource(apiVersion: apiVersion, kind: "Machine")
        do {
            let object = try await machineClient.get(resource, name: machine.name, namespace: machine.namespace, subresource: nil,
                                                     as: JSONValue.self)
            return object["metadata"]?["creationTimestamp"]?.stringValue.flatMap(KubeTime.parse)
        } catch {
            if case .notFound = TargetError(error, what: "Machine \(machine)") { return nil }
            throw TargetError(error, what: "Machine \(machine)")
        }
    }

    func podsBound(to node: String) async throws(TargetError) -> [Pod] {
        do {
            return try await client.list(Pod.descriptor, namespace: nil, options: ListOptions(fieldSelector: "spec.nodeName=\(node)"),
                                         as: Pod.self).items
        } catch {
            throw TargetError(error, what: "pods on node \(node)")
        }
    }

    func nodes(selectedBy selector: LabelSelector) async throws(TargetError) -> [KubeNode] {
        do {
            return try await client.list(KubeNode.descriptor, namespace: nil, options: ListOptions(selector: selector), as: KubeNode.self).items
        } catch {
            throw TargetError(error, what: "the pool's nodes")
        }
    }

    private func mergePatch(_ resource: ResourceDescriptor, name: String, namespace: String?, patch: JSONValue,
                            what: String, on cluster: KubeClient? = nil) async throws(TargetError) {
        do {
            let body = try JSONEncoder().encode(patch)
            _ = try await (cluster ?? client).patch(resource, name: name, namespace: namespace, type: .merge, body: body, subresource: nil,
                                       options: WriteOptions(fieldManager: fieldManager), as: JSONValue.self)
        } catch let error as KubeError {
            throw TargetError(error, what: what)
        } catch {
            throw .failed("\(what): \(error)")
        }
    }
}
