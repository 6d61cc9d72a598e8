import Foundation
import KubeAPI

/// Deployments straight to pods (no ReplicaSets): keeps `spec.replicas` live pods from the template,
/// re-creates pods that were preempted or deleted, removes pending then newest pods when scaled
/// down, deletes pods whose Deployment is gone (garbage collection), and keeps status true.
/// Enough for placeholder ("balloon") deployments and simple workloads.
struct DeploymentController {
    func reconcile(_ objects: ClusterObjects, pods: [Pod], context: inout StepContext) async throws {
        let deployments = try await objects.list("/apis/apps/v1/deployments", as: JSONValue.self)
        try await objects.deleteOrphans(of: "Deployment", owners: deployments, pods: pods, context: &context)
        for deployment in deployments {
            try await reconcile(deployment, pods: pods, objects: objects, context: &context)
        }
    }

    private func reconcile(_ deployment: JSONValue, pods: [Pod], objects: ClusterObjects, context: inout StepContext) async throws {
        let namespace = deployment.objectNamespace, name = deployment.objectName, uid = deployment.objectUID
        let desired = deployment.at("spec", "replicas")?.integer ?? 1
        var owned = pods.filter { pod in
            pod.metadata.namespace == namespace && pod.metadata.deletionTimestamp == nil
                && (pod.metadata.ownerReferences ?? []).contains { $0.uid == uid }
        }
        for pod in owned where pod.isTerminal {
            try await objects.delete(pod.path)
        }
        owned.removeAll(where: \.isTerminal)
        if owned.count < desired {
            for _ in owned.count..<desired {
                let pod = podObject(for: deployment, name: "\(name)-\(context.nameSuffix())")
                let created = try await objects.create("/api/v1/namespaces/\(namespace)/pods", pod)
                let typed = try JSONDecoder().decode(Pod.self, from: JSONEncoder().encode(created))
                owned.append(typed)
                context.record(.podCreated, typed.key, "deployment \(name)")
            }
        } else if owned.count > desired {
            let victims = owned.sorted {
                ($0.isBound ? 1 : 0, $1.metadata.creationTimestamp ?? "", $1.key) < ($1.isBound ? 1 : 0, $0.metadata.creationTimestamp ?? "", $0.key)
            }.prefix(owned.count - desired)
            for pod in victims {
                try await objects.delete(pod.path)
                context.record(.podDeleted, pod.key, "deployment \(name) scaled down")
            }
            owned.removeAll { pod in victims.contains { $0.key == pod.key } }
        }
        let running = owned.filter { $0.status?.phase == "Running" }.count
        var status = deployment.at("status")?.objectValue ?? [:]
        status["replicas"] = .int(Int64(owned.count))
        status["updatedReplicas"] = .int(Int64(owned.count))
        status["readyReplicas"] = running > 0 ? .int(Int64(running)) : nil
        status["availableReplicas"] = running > 0 ? .int(Int64(running)) : nil
        status["unavailableReplicas"] = owned.count > running ? .int(Int64(owned.count - running)) : nil
        if let generation = deployment.at("metadata", "generation") { status["observedGeneration"] = generation }
        try await objects.replaceStatus(of: deployment, at: "/apis/apps/v1/namespaces/\(namespace)/deployments/\(name)", with: status)
    }

    private func podObject(for deployment: JSONValue, name: String) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "name": .string(name), "namespace": .string(deployment.objectNamespace),
            "ownerReferences": .array([.object([
                "apiVersion": .string("apps/v1"), "kind": .string("Deployment"), "name": .string(deployment.objectName),
                "uid": .string(deployment.objectUID), "controller": .bool(true), "blockOwnerDeletion": .bool(true),
            ])]),
        ]
        if let labels = deployment.at("spec", "template", "metadata", "labels") { metadata["labels"] = labels }
        if let annotations = deployment.at("spec", "template", "metadata", "annotations") { metadata["annotations"] = annotations }
        return .object(["apiVersion": .string("v1"), "kind": .string("Pod"), "metadata": .object(metadata),
                        "spec": deployment.at("spec", "template", "spec") ?? .object([:])])
    }
}
