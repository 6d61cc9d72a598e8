/// The built-in resource types the virtual cluster serves (issue #3, item 3): what Fleetcast, its
/// tests and kubectl touch. Other core kinds are not served and answer 404 like an unknown path.
enum BuiltinResources {
    static let all: [ResourceType] = [
        ResourceType(group: "", versions: ["v1"], plural: "namespaces", singular: "namespace", kind: "Namespace",
                     listKind: "NamespaceList", namespaced: false, shortNames: ["ns"], hasStatusSubresource: true,
                     keepsStatusOnCreate: true, selectableFields: ["status.phase": ["status", "phase"]]),
        ResourceType(group: "", versions: ["v1"], plural: "nodes", singular: "node", kind: "Node", listKind: "NodeList",
                     namespaced: false, shortNames: ["no"], hasStatusSubresource: true, keepsStatusOnCreate: true,
                     selectableFields: ["spec.unschedulable": ["spec", "unschedulable"]]),
        ResourceType(group: "", versions: ["v1"], plural: "pods", singular: "pod", kind: "Pod", listKind: "PodList",
                     namespaced: true, shortNames: ["po"], categories: ["all"], hasStatusSubresource: true,
                     returnsDeletedObject: true,
                     selectableFields: [
                        "spec.nodeName": ["spec", "nodeName"], "spec.restartPolicy": ["spec", "restartPolicy"],
                        "spec.schedulerName": ["spec", "schedulerName"],
                        "spec.serviceAccountName": ["spec", "serviceAccountName"],
                        "spec.hostNetwork": ["spec", "hostNetwork"], "status.phase": ["status", "phase"],
                        "status.podIP": ["status", "podIP"], "status.nominatedNodeName": ["status", "nominatedNodeName"],
                     ]),
        ResourceType(group: "", versions: ["v1"], plural: "configmaps", singular: "configmap", kind: "ConfigMap",
                     listKind: "ConfigMapList", namespaced: true, shortNames: ["cm"]),
        ResourceType(group: "", versions: ["v1"], plural: "events", singular: "event", kind: "Event", listKind: "EventList",
                     namespaced: true, shortNames: ["ev"],
                     selectableFields: [
                        "involvedObject.kind": ["involvedObject", "kind"], "involvedObject.name": ["involvedObject", "name"],
                        "involvedObject.namespace": ["involvedObject", "namespace"],
                        "involvedObject.uid": ["involvedObject", "uid"], "reason": ["reason"], "type": ["type"],
                     ]),
        ResourceType(group: "events.k8s.io", versions: ["v1"], plural: "events", singular: "event", kind: "Event",
                     listKind: "EventList", namespaced: true, shortNames: ["ev"]),
        ResourceType(group: "coordination.k8s.io", versions: ["v1"], plural: "leases", singular: "lease", kind: "Lease",
                     listKind: "LeaseList", namespaced: true),
        ResourceType(group: "apps", versions: ["v1"], plural: "deployments", singular: "deployment", kind: "Deployment",
                     listKind: "DeploymentList", namespaced: true, shortNames: ["deploy"], categories: ["all"],
                     hasStatusSubresource: true,
                     scale: ScaleSubresource(specReplicasPath: ["spec", "replicas"], statusReplicasPath: ["status", "replicas"],
                                             labelSelectorPath: ["spec", "selector"], selectorIsStructured: true),
                     generation: .nonMetadataChanges),
        ResourceType(group: "batch", versions: ["v1"], plural: "cronjobs", singular: "cronjob", kind: "CronJob",
                     listKind: "CronJobList", namespaced: true, shortNames: ["cj"], categories: ["all"],
                     hasStatusSubresource: true, generation: .nonMetadataChanges),
        ResourceType(group: "scheduling.k8s.io", versions: ["v1"], plural: "priorityclasses", singular: "priorityclass",
                     kind: "PriorityClass", listKind: "PriorityClassList", namespaced: false, shortNames: ["pc"],
                     generation: .none),
        ResourceType(group: "apiextensions.k8s.io", versions: ["v1"], plural: "customresourcedefinitions",
                     singular: "customresourcedefinition", kind: "CustomResourceDefinition",
                     listKind: "CustomResourceDefinitionList", namespaced: false, shortNames: ["crd", "crds"],
                     categories: ["api-extensions"], hasStatusSubresource: true, generation: .nonMetadataChanges),
    ]

    /// Namespaces every cluster starts with.
    static let initialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]
}
