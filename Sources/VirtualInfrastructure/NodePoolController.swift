import Foundation
import KubeAPI

/// Keeps each configured pool's Machines and Nodes in step with its MachineDeployment's
/// `spec.replicas`, moves nodes through boot and GPU initialisation on the step clock, and keeps
/// the MachineDeployment's status (and so its `/scale`) true.
struct NodePoolController {
    var pools: [NodePoolConfiguration]
    /// Per machine (`namespace/name`), drawn when the machine was created.
    var timelines: [String: MachineTimeline] = [:]

    static let machineGroupVersion = "cluster.x-k8s.io/v1beta2"

    static func machineDeploymentPath(_ pool: NodePoolConfiguration) -> String {
        "/apis/\(machineGroupVersion)/namespaces/\(pool.namespace)/machinedeployments/\(pool.machineDeployment)"
    }

    static func machinesPath(_ namespace: String) -> String {
        "/apis/\(machineGroupVersion)/namespaces/\(namespace)/machines"
    }

    /// Creates the MachineDeployments of pools that have none yet.
    func install(_ objects: ClusterObjects) async throws {
        for pool in pools {
            let existing: JSONValue? = try await objects.getIfPresent(Self.machineDeploymentPath(pool))
            if existing == nil {
                try await objects.create("/apis/\(Self.machineGroupVersion)/namespaces/\(pool.namespace)/machinedeployments",
                                         pool.machineDeploymentObject())
            }
        }
    }

    mutating func reconcile(_ objects: ClusterObjects, pods: [Pod], context: inout StepContext) async throws {
        let nodes = Dictionary(try await objects.list("/api/v1/nodes", as: KubeNode.self).map { ($0.metadata.name ?? "", $0) },
                               uniquingKeysWith: { first, _ in first })
        let busyNodes = Set(pods.filter { !$0.isTerminal }.compactMap { $0.spec?.nodeName })
        for pool in pools {
            guard let deployment: JSONValue = try await objects.getIfPresent(Self.machineDeploymentPath(pool)) else { continue }
            let desired = deployment.at("spec", "replicas")?.integer ?? 1
            var machines: [JSONValue] = try await objects.list(Self.machinesPath(pool.namespace),
                                                               labelSelector: "\(NodePoolConfiguration.deploymentNameLabel)=\(pool.machineDeployment)")
            machines = machines.filter { $0.at("metadata", "deletionTimestamp") == nil }
            if machines.count < desired {
                for _ in machines.count..<desired {
                    machines.append(try await createMachine(pool, owner: deployment, objects: objects, context: &context))
                }
            } else if machines.count > desired {
                let candidates = machines.map { machine in
                    ScaleDownOrder.Candidate(
                        name: machine.objectName,
                        markedForDeletion: machine.objectAnnotations[ScaleDownOrder.deleteMachineAnnotation] != nil,
                        isEmpty: !busyNodes.contains(machine.objectName),
                        created: timelines[key(pool, machine.objectName)]?.created ?? .distantPast)
                }
                let victims = Set(ScaleDownOrder.victims(candidates, count: machines.count - desired))
                for name in victims.sorted() {
                    try await deleteMachine(name, pool: pool, pods: pods, objects: objects, context: &context)
                }
                machines.removeAll { victims.contains($0.objectName) }
            }
            var ready = 0
            for machine in machines {
                let name = machine.objectName
                let timeline = timelines[key(pool, name)]
                let shape = NodeShape(pool: pool)
                let status = shape.status(timeline: timeline, at: context.now)
                var current = nodes[name]
                if current == nil { current = try? await objects.get("/api/v1/nodes/\(name)", as: KubeNode.self) }
                if var node = current, node.status != status {
                    let wasReady = node.isReady, hadGPUs = node.allocatableGPUs > 0
                    node.status = status
                    node.metadata.resourceVersion = nil
                    try await objects.replace("/api/v1/nodes/\(name)/status", node)
                    if !wasReady && node.isReady { context.record(.nodeReady, name, pool.machineDeployment) }
                    if !hadGPUs && node.allocatableGPUs > 0 { context.record(.nodeGPUReady, name, "\(pool.gpusPerNode) GPUs") }
                }
                let isReady = timeline?.isReady(at: context.now) ?? true
                if isReady { ready += 1 }
                try await updateMachineStatus(machine, pool: pool, running: isReady, objects: objects)
            }
            try await updateDeploymentStatus(deployment, pool: pool, replicas: machines.count, ready: ready, desired: desired, objects: objects)
        }
    }

    private func key(_ pool: NodePoolConfiguration, _ name: String) -> String { "\(pool.namespace)/\(name)" }

    private mutating func createMachine(_ pool: NodePoolConfiguration, owner: JSONValue, objects: ClusterObjects,
                                        context: inout StepContext) async throws -> JSONValue {
        let name = "\(pool.machineDeployment)-\(context.nameSuffix())"
        let boot = pool.bootDelay.sample(using: &context.generator)
        let gpuInit = pool.gpuInitDelay.sample(using: &context.generator)
        let ready = context.now.addingTimeInterval(boot)
        let timeline = MachineTimeline(created: context.now, ready: ready, gpuReady: ready.addingTimeInterval(gpuInit))
        timelines[key(pool, name)] = timeline
        let machine: JSONValue = .object([
            "apiVersion": .string(Self.machineGroupVersion), "kind": .string("Machine"),
            "metadata": .object([
                "name": .string(name), "namespace": .string(pool.namespace),
                "labels": .object([NodePoolConfiguration.deploymentNameLabel: .string(pool.machineDeployment),
                                   "cluster.x-k8s.io/cluster-name": .string(pool.clusterName)]),
                "ownerReferences": .array([.object([
                    "apiVersion": .string(Self.machineGroupVersion), "kind": .string("MachineDeployment"),
                    "name": .string(pool.machineDeployment), "uid": .string(owner.objectUID), "controller": .bool(true),
                ])]),
            ]),
            "spec": .object(["clusterName": .string(pool.clusterName), "providerID": .string("fleetcast://\(pool.namespace)/\(name)")]),
        ])
        let created = try await objects.create(Self.machinesPath(pool.namespace), machine)
        try await objects.create("/api/v1/nodes", NodeShape(pool: pool).node(named: name, machine: name, timeline: timeline, at: context.now))
        context.record(.machineCreated, key(pool, name), String(format: "ready+%.0fs gpu+%.0fs", boot, gpuInit))
        if timeline.isReady(at: context.now) { context.record(.nodeReady, name, pool.machineDeployment) }
        if timeline.hasGPUs(at: context.now) { context.record(.nodeGPUReady, name, "\(pool.gpusPerNode) GPUs") }
        return created
    }

    private mutating func deleteMachine(_ name: String, pool: NodePoolConfiguration, pods: [Pod], objects: ClusterObjects,
                                        context: inout StepContext) async throws {
        for pod in pods where pod.spec?.nodeName == name {
            let namespace = pod.metadata.namespace ?? "default", podName = pod.metadata.name ?? ""
            try await objects.delete("/api/v1/namespaces/\(namespace)/pods/\(podName)")
            context.record(.podDeleted, "\(namespace)/\(podName)", "node \(name) removed")
        }
        try await objects.delete("/api/v1/nodes/\(name)")
        try await objects.delete("\(Self.machinesPath(pool.namespace))/\(name)")
        timelines[key(pool, name)] = nil
        context.record(.machineDeleted, key(pool, name))
    }

    private func updateMachineStatus(_ machine: JSONValue, pool: NodePoolConfiguration, running: Bool, objects: ClusterObjects) async throws {
        let status: [String: JSONValue] = [
            "phase": .string(running ? "Running" : "Provisioning"),
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
