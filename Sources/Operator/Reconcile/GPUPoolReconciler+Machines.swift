import FleetcastAPI
import Foundation
import KubeAPI

extension GPUPoolReconciler {
    /// When the Machines of the nodes about to give their start-up phases were created, by node name:
    /// one GET per node, once (a node is sampled when first seen useful). Only for MachineDeployment
    /// targets, through the port that already reads and marks Machines; a Machine that cannot be
    /// read leaves that node's provisioning phase unmeasured rather than failing the reconcile.
    func machinesCreated(for nodes: [KubeNode], spec: GPUPoolSpec, memory: PoolMemory, targetNamespace: String) async -> [String: Date] {
        guard spec.target.kind == "MachineDeployment", let removal else { return [:] }
        var created: [String: Date] = [:]
        for node in memory.phases.nodesAboutToBeSampled(nodes, resource: spec.effectiveDemandResource) {
            guard let name = node.metadata.name, let machine = ScaleDownVictims.machine(of: node, targetNamespace: targetNamespace) else {
                continue
            }
            do {
                if let date = try await removal.machineCreated(machine, apiVersion: spec.target.apiVersion) { created[name] = date }
            } catch {
                logger.debug("Could not read a Machine for its creation time",
                             metadata: ["machine": "\(machine)", "error": "\(error)"])
            }
        }
        return created
    }
}
