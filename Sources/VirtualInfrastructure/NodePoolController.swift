import Foundation
import KubeAPI

/// Keeps each configured pool's Machines and Nodes in step with its MachineDeployment's
/// `spec.replicas`, moves nodes through boot and GPU initialisation on the step clock, and keeps
/// the MachineDeployment's status (and so its `/scale`) true.
struct NodePoolController {
    var pools: [NodePoolConfiguration]
    /// Per machine (`namespace/name`), drawn when the machine was created.
    var timelines: [String: MachineTimeline] = [:]
    /// The Machine controller's side of deletion: drains and removes Machines being deleted.
    var drain = MachineDrain()

    static let machineGroupVersion = "cluster.x-k8s.io/v1beta2"

    static func machineDeploymentPath(_ pool: NodePoolConfiguration) -> String {
        "/apis/\(machineGroupVersion)/namespaces/\(pool.namespace)/machinedeployments/\(pool.machineDeployment)"
    }

    static func machinesPath(_ namespace: String) -> String {
        "/apis/\(machineGroupVersion)/namespaces/\(namespace)/machines"
    }

    /// Creates the MachineDeployments of pools that have none yet, in the cluster of `objects`.
    func install(_ objects: ClusterObjects) async throws {
        for pool in pools {
            let existing: JSONValue? = try await objects.getIfPresent(Self.machineDeploymentPath(pool))
            if existing == nil {
                try await objects.create("/apis/\(Self.machineGroupVersion)/namespaces/\(pool.namespace)/machinedeployments",
                                         pool.machineDeploymentObject())
            }
        }
    }

    /// Nodes (and the pods drained from them) are in `objects`' cluster; MachineDeployments and
    /// Machines in `machines`' (the management cluster, or the same one).
    mutating func reconcile(_ objects: ClusterObjects, machines machineObjects: ClusterObjects, pods: [Pod],
                            context: inout StepContext) async throws {
        var nodes = Dictionary(try await objects.list("/api/v1/nodes", as: KubeNode.self).map { ($0.metadata.name ?? "", $0) },
                               uniquingKeysWith: { first, _ in first })
        var pods = pods
        var budgets: PodDisruptionBudgets?
        for pool in pools {
            guard let deployment: JSONValue = try await machineObjects.getIfPresent(Self.machineDeploymentPath(pool)) else { continue }
            let desired = deployment.at("spec", "replicas")?.integer ?? 1
            let selector = "\(NodePoolConfiguration.deploymentNameLabel)=\(pool.machineDeployment)"
            var machines: [JSONValue] = try await machineObjects.list(Self.machinesPath(pool.namespace), labelSelector: selector)
            // The MachineSet counts Machines being deleted until they are gone (upstream `syncReplicas`).
            if machines.count < desired {
                for _ in machines.count..<desired {
                    machines.append(try await createMachine(pool, owner: deployment, objects: objects, machines: machineObjects,
                                                            context: &context))
                }
            } else if machines.count > desired {
                let candidates = machines.map { candidate($0, nodes: nodes) }
                let victims = ScaleDownOrder.victims(candidates, count: machines.count - desired,
                                                     order: MachineDeletionOrder.of(deployment), now: context.now)
                for machine in machines where victims.contains(machine.objectName) && machine.at("metadata", "deletionTimestamp") == nil {
                    try await machineObjects.delete("\(Self.machinesPath(pool.namespace))/\(machine.objectName)")
                    let chosen = candidates.first { $0.name == machine.objectName }
                    let why = chosen?.markedForDeletion == true ? "delete-machine" : chosen?.isHealthy == false ? "unhealthy" : "healthy"
                    context.record(.machineDeleting, key(pool, machine.objectName), "\(MachineDeletionOrder.of(deployment).rawValue) \(why)")
                }
                machines = try await machineObjects.list(Self.machinesPath(pool.namespace), labelSelector: selector)
            }
            var remaining: [JSONValue] = []
            for machine in machines {
                guard machine.at("metadata", "deletionTimestamp") != nil else {
                    remaining.append(machine)
                    continue
                }
                if budgets == nil { budgets = try await PodDisruptionBudgets.load(objects, pods: pods) }
                var granted = budgets ?? PodDisruptionBudgets(budgets: [], pods: [])
                let path = "\(Self.machinesPath(pool.namespace))/\(machine.objectName)"
                let gone = try await drain.reconcile(machine, path: path, node: nodes[Self.nodeName(of: machine)], pods: &pods,
                                                     budgets: &granted, objects: objects, machines: machineObjects, context: &context)
                budgets = granted
                if gone {
                    timelines[key(pool, machine.objectName)] = nil
                    nodes[Self.nodeName(of: machine)] = nil
                } else {
                    remaining.append(machine)
                }
            }
            machines = remaining
            var ready = 0
            for machine in machines {
                let name = Self.nodeName(of: machine)
                let timeline = timelines[key(pool, machine.objectName)]
                let shape = NodeShape(pool: pool)
                var current = nodes[name]
                if current == nil { current = try? await objects.get("/api/v1/nodes/\(name)", as: KubeNode.self) }
                var standby = StandbyNode()
                if let node = current {
                    standby = try await advanceStandby(node, pool: pool, timeline: timeline, pods: pods, objects: objects, context: &context)
                }
                let status = standby.isSuspended(at: context.now)
                    ? shape.suspendedStatus(since: standby.suspendedAt ?? context.now)
                    : shape.status(timeline: timeline, at: context.now, awakeSince: standby.awakeSince)
                if var node = current, node.status != status {
                    let wasReady = node.isReady, hadGPUs = node.allocatableGPUs > 0
                    node.status = status
                    node.metadata.resourceVersion = nil
                    try await objects.replace("/api/v1/nodes/\(name)/status", node)
                    if !wasReady && node.isReady { context.record(.nodeReady, name, pool.machineDeployment) }
                    if !hadGPUs && node.allocatableGPUs > 0 { context.record(.nodeGPUReady, name, "\(pool.gpusPerNode) GPUs") }
                }
                let isReady = (timeline?.isReady(at: context.now) ?? true) && !standby.isSuspended(at: context.now)
                if isReady { ready += 1 }
                try await updateMachineStatus(machine, pool: pool, running: isReady, objects: machineObjects)
            }
            try await updateDeploymentStatus(deployment, pool: pool, replicas: machines.count, ready: ready, desired: desired,
                                             objects: machineObjects)
        }
    }

    private func key(_ pool: NodePoolConfiguration, _ name: String) -> String { "\(pool.namespace)/\(name)" }

    /// Moves a standby node along its cycle (`StandbyNode.next`) and writes what changed: the
    /// annotations, and the unreachable taint while the VM is suspended.
    private func advanceStandby(_ node: KubeNode, pool: NodePoolConfiguration, timeline: MachineTimeline?, pods: [Pod],
                                objects: ClusterObjects, context: inout StepContext) async throws -> StandbyNode {
        let name = node.metadata.name ?? ""
        let current = StandbyNode(node)
        let onNode = pods.filter { $0.spec?.nodeName == name && !$0.isTerminal }
        let hasWorkload = onNode.contains { !$0.isDaemonSetPod }
        let daemonsStarting = onNode.contains { $0.isDaemonSetPod && !$0.isReady }
        let (next, transition) = current.next(timeline: timeline, hasWorkload: hasWorkload, daemonsStarting: daemonsStarting,
                                              setupTime: pool.standby.setupTime, now: context.now)
        let taints = next.taints(of: node, at: context.now)
        guard next != current || taints != (node.spec?.taints ?? []) else { return next }
        try await objects.mergePatch("/api/v1/nodes/\(name)", .object([
            "metadata": .object(["annotations": next.annotationPatch]),
            "spec": .object(["taints": taints.isEmpty ? .null : .array(taints.map(\.jsonValue))]),
        ]))
        if let transition { context.record(transition.event, name, current.buffer ?? next.buffer ?? "") }
        return next
    }

    /// The Node a Machine runs as: `status.nodeRef.name` (a Machine in a management cluster names a Node
    /// of the workload cluster), else, before the Machine controller has set it, the Machine's own
    /// name, which this infrastructure gives the Node it creates.
    static func nodeName(of machine: JSONValue) -> String {
        machine.at("status", "nodeRef", "name")?.stringValue ?? machine.objectName
    }

    private mutating func createMachine(_ pool: NodePoolConfiguration, owner: JSONValue, objects: ClusterObjects, machines: ClusterObjects,
                                        context: inout StepContext) async throws -> JSONValue {
        let name = "\(pool.machineDeployment)-\(context.nameSuffix())"
        let boot = pool.bootDelay.sample(using: &context.generator)
        let gpuInit = pool.gpuInitDelay.sample(using: &context.generator)
        let ready = context.now.addingTimeInterval(boot)
        let timeline = MachineTimeline(created: context.now, ready: ready, gpuReady: ready.addingTimeInterval(gpuInit))
        timelines[key(pool, name)] = timeline
        // Like the MachineSet, the Machine takes its drain settings from the template.
        var machineSpec: [String: JSONValue] = ["clusterName": .string(pool.clusterName),
                                                "providerID": .string("fleetcast://\(pool.namespace)/\(name)")]
        for field in ["deletion", "nodeDrainTimeout"] {
            if let value = owner.at("spec", "template", "spec", field) { machineSpec[field] = value }
        }
        let machine: JSONValue = .object([
            "apiVersion": .string(Self.machineGroupVersion), "kind": .string("Machine"),
            "metadata": .object([
                "name": .string(name), "namespace": .string(pool.namespace),
                "finalizers": .array([.string(MachineDrain.finalizer)]),
                "labels": .object([NodePoolConfiguration.deploymentNameLabel: .string(pool.machineDeployment),
                                   "cluster.x-k8s.io/cluster-name": .string(pool.clusterName)]),
                "ownerReferences": .array([.object([
                    "apiVersion": .string(Self.machineGroupVersion), "kind": .string("MachineDeployment"),
                    "name": .string(pool.machineDeployment), "uid": .string(owner.objectUID), "controller": .bool(true),
                ])]),
            ]),
            "spec": .object(machineSpec),
        ])
        let created = try await machines.create(Self.machinesPath(pool.namespace), machine)
        try await objects.create("/api/v1/nodes", NodeShape(pool: pool).node(named: name, machine: name, timeline: timeline, at: context.now))
        context.record(.machineCreated, key(pool, name), String(format: "ready+%.0fs gpu+%.0fs", boot, gpuInit))
        if timeline.isReady(at: context.now) { context.record(.nodeReady, name, pool.machineDeployment) }
        if timeline.hasGPUs(at: context.now) { context.record(.nodeGPUReady, name, "\(pool.gpusPerNode) GPUs") }
        return created
    }

    /// How the MachineSet's delete policy sees a Machine: deleting, annotated, healthy (its node Ready), its age.
    private func candidate(_ machine: JSONValue, nodes: [String: KubeNode]) -> ScaleDownOrder.Candidate {
        ScaleDownOrder.Candidate(
            name: machine.objectName, isDeleting: machine.at("metadata", "deletionTimestamp") != nil,
            markedForDeletion: machine.objectAnnotations[ScaleDownOrder.deleteMachineAnnotation] != nil,
            isHealthy: nodes[Self.nodeName(of: machine)]?.isReady ?? false,
            created: machine.at("metadata", "creationTimestamp")?.stringValue.flatMap(Timestamp.parse))
    }

    private func updateMachineStatus(_ machine: JSONValue, pool: NodePoolConfiguration, running: Bool, objects: ClusterObjects) async throws {
        let status: [String: JSONValue] = [
            "phase": .string(machine.at("metadata", "deletionTimestamp") != nil ? "Deleting" : running ? "Running" : "Provisioning"),
            "nodeRef": .object(["apiVersion": .string("v1"), "kind": .string("Node"), "name": .string(machine.objectName)]),
        ]
        try await objects.replaceStatus(of: machine, at: "\(Self.machinesPath(pool.namespace))/\(machine.objectName)", with: status)
    }

    private func updateDeploymentStatus(_ deployment: JSONValue, pool: NodePoolConfiguration, replicas: Int, ready: Int, desired: Int,
                                        objects: ClusterObjects) async throws {
        let phase = replicas < desired ? "ScalingUp" : replicas > desired ? "ScalingDown" : (ready == desired ? "Running" : "ScalingUp")
        var status = deployment.at("status")?.objectValue ?? [:]
        status["replicas"] = .int(Int64(replicas))
        status["readyReplicas"] = .int(Int64(ready))
        status["availableReplicas"] = .int(Int64(ready))
        status["selector"] = .string("\(NodePoolConfiguration.deploymentNameLabel)=\(pool.machineDeployment)")
        status["phase"] = .string(phase)
        if let generation = deployment.at("metadata", "generation") { status["observedGeneration"] = generation }
        try await objects.replaceStatus(of: deployment, at: Self.machineDeploymentPath(pool), with: status)
    }
}
