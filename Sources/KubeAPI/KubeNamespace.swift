/// `core/v1 Namespace`, reduced to its metadata: a pool with `spec.demand.pods.namespaceSelector`
/// counts the pods of the namespaces whose labels match. Named `KubeNamespace` because `Namespace`
/// reads as a Swift language term in every module that imports it.
public struct KubeNamespace: KubernetesResource, Hashable {
    public static let groupVersionResource = GroupVersionResource(group: "", version: "v1", resource: "namespaces")
    public static let kind = "Namespace"
    public static let scope = ResourceScope.cluster

    public var apiVersion: String? = KubeNamespace.apiVersion
    public var kind: String? = KubeNamespace.kind
    public var metadata: ObjectMeta

    public init(metadata: ObjectMeta) {
        self.metadata = metadata
    }
}
