import Foundation
import KubeAPI

/// DaemonSets → one pod per eligible node, with the placement rules of the real controller
/// (`pkg/controller/daemon`, `NodeShouldRunDaemonPod`): a node is eligible when the template's
/// `nodeSelector` and required node affinity match it and its tolerations — plus the ones the
/// controller adds to every daemon pod (`node.kubernetes.io/not-ready` and `unreachable` NoExecute;
/// `disk-pressure`, `memory-pressure`, `pid-pressure`, `unschedulable` NoSchedule) — tolerate its
/// NoSchedule and NoExecute taints. Node readiness is not a criterion: the pod is created for a
/// booting node too and bound once the scheduler finds the node Ready. Each pod is pinned to its
/// node by required node affinity on `metadata.name` (`matchFields`), which the scheduler honours.
/// Pods on nodes that are no longer eligible, or of an older template generation, are deleted (all
/// at once, not one by one as a rolling update), failed pods are replaced, and status counts are kept.
struct DaemonSetController {
    static let path = "/apis/apps/v1/daemonsets"
    static let generationLabel = "pod-template-generation"

    /// The tolerations the real controller adds to every daemon pod (`AddOrUpdateDaemonPodTolerations`).
    static let addedTolerations = [
        Toleration(key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute"),
        Toleration(key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute"),
        Toleration(key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule"),
        Toleration(key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule"),
        Toleration(key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule"),
        Toleration(key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule"),
    ]

    func reconcile(_ objects: ClusterObjects, pods: [Pod], context: inout StepContext) async throws {
        let daemonSets = try await objects.list(Self.path, as: JSONValue.self)
        let nodes = try await objects.list("/api/v1/nodes", as: KubeNode.self).filter { $0.metadata.deletionTimestamp == nil }
        try await objects.deleteOrphans(of: "DaemonSet", owners: daemonSets, pods: pods, context: &context)
        for daemonSet in daemonSets {
            try await reconcile(daemonSet, nodes: nodes, pods: pods, objects: objects, context: &context)
        }
    }

    private func reconcile(_ daemonSet: JSONValue, nodes: [KubeNode], pods: [Pod], objects: ClusterObjects,
                           context: inout StepContext) async throws {
        let namespace = daemonSet.objectNamespace, name = daemonSet.objectName, uid = daemonSet.objectUID
        let generation = daemonSet.at("metadata", "generation")?.integer ?? 1
        guard let template = Self.templatePod(daemonSet, generation: generation) else { return }
        let owned = pods.filter { pod in
            pod.metadata.namespace == namespace && pod.metadata.deletionTimestamp == nil
                && (pod.metadata.ownerReferences ?? []).contains { $0.uid == uid && $0.controller == true }
        }
        var desired = 0, current = 0, ready = 0, updated = 0, misscheduled = 0
        for node in nodes.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            let nodeName = node.metadata.name ?? ""
            let (eligible, mayContinue) = Self.placement(template, on: node)
            var mine = owned.filter { Self.targetNode(of: $0) == nodeName }
            for pod in mine where !mayContinue || pod.isTerminal || pod.metadata.labels?[Self.generationLabel] != String(generation) {
                try await objects.delete(pod.path)
                context.record(.podDeleted, pod.key, mayContinue ? "daemonset \(name) replaced its pod" : "daemonset \(name) not for \(nodeName)")
                mine.removeAll { $0.key == pod.key }
            }
            if !eligible {
                // A pod that tolerates the node's NoExecute taints keeps running where a new one would not start.
                if !mine.isEmpty && !mayContinue { misscheduled += 1 }
                continue
            }
            desired += 1
            for pod in mine.dropFirst() {
                try await objects.delete(pod.path)
            }
            if let pod = mine.first {
                current += 1
                updated += 1
                if pod.status?.conditions?.contains(where: { $0.type == "Ready" && $0.status == "True" }) == true { ready += 1 }
                continue
            }
            var pod = template
            pod.metadata.name = "\(name)-\(context.nameSuffix())"
            pod.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "DaemonSet", name: name, uid: uid,
                                                           controller: true, blockOwnerDeletion: true)]
            let affinity = Self.pinned(pod.spec?.affinity, to: nodeName)
            pod.spec?.affinity = affinity
            let created = try await objects.create("/api/v1/namespaces/\(namespace)/pods", pod)
            context.record(.podCreated, created.key, "daemonset \(name) for \(nodeName)")
            current += 1
            updated += 1
        }
        var status = daemonSet.at("status")?.objectValue ?? [:]
        status["desiredNumberScheduled"] = .int(Int64(desired))
        status["currentNumberScheduled"] = .int(Int64(current))
        status["numberMisscheduled"] = .int(Int64(misscheduled))
        status["numberReady"] = .int(Int64(ready))
        status["updatedNumberScheduled"] = .int(Int64(updated))
        status["numberAvailable"] = ready > 0 ? .int(Int64(ready)) : nil
        status["numberUnavailable"] = desired > ready ? .int(Int64(desired - ready)) : nil
        status["observedGeneration"] = .int(Int64(generation))
        try await objects.replaceStatus(of: daemonSet, at: "/apis/apps/v1/namespaces/\(namespace)/daemonsets/\(name)", with: status)
    }

    /// The pod the template describes, with the controller's tolerations and generation label.
    static func templatePod(_ daemonSet: JSONValue, generation: Int) -> Pod? {
        guard let template = daemonSet.at("spec", "template"),
              var pod = CapacityBuffers.pod(fromTemplate: .object(["template": template]), namespace: daemonSet.objectNamespace)
        else { return nil }
        var labels = pod.metadata.labels ?? [:]
        labels[generationLabel] = String(generation)
        pod.metadata.labels = labels
        var tolerations = pod.spec?.tolerations ?? []
        for added in addedTolerations where !tolerations.contains(where: { $0.key == added.key && $0.effect == added.effect }) {
            tolerations.append(added)
        }
        pod.spec?.tolerations = tolerations
        return pod
    }

    /// As `NodeShouldRunDaemonPod`: whether the controller starts the template's pod on `node`
    /// (selector and required affinity match, every NoSchedule/NoExecute taint tolerated), and whether
    /// a pod already there may keep running (selector and affinity match, NoExecute taints tolerated).
    static func placement(_ pod: Pod, on node: KubeNode) -> (shouldRun: Bool, shouldContinueRunning: Bool) {
        guard pod.matchesNode(labels: node.metadata.labels ?? [:], name: node.metadata.name ?? "") else { return (false, false) }
        let taints = node.spec?.taints ?? []
        if pod.tolerates(taints.filter { $0.effect == "NoSchedule" || $0.effect == "NoExecute" }) { return (true, true) }
        return (false, pod.tolerates(taints.filter { $0.effect == "NoExecute" }))
    }

    /// The pod's affinity with its required node terms replaced by `metadata.name In [node]`, as the
    /// real controller does (`ReplaceDaemonSetPodNodeNameNodeAffinity`: the template's own terms were
    /// already checked against the node).
    static func pinned(_ affinity: Affinity?, to node: String) -> Affinity {
        var result = affinity ?? Affinity()
        var nodeAffinity = result.nodeAffinity ?? NodeAffinity()
        nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = NodeSelector(nodeSelectorTerms: [
            NodeSelectorTerm(matchFields: [NodeSelectorRequirement(key: "metadata.name", operator: "In", values: [node])]),
        ])
        result.nodeAffinity = nodeAffinity
        return result
    }

    /// The node a daemon pod is for: its binding, else its `metadata.name` affinity.
    static func targetNode(of pod: Pod) -> String? {
        if let name = pod.spec?.nodeName, !name.isEmpty { return name }
        return pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
            .lazy.compactMap { $0.matchFields?.first { $0.key == "metadata.name" }?.values?.first }.first
    }
}
