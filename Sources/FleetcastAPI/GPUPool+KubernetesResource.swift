import KubeAPI

/// Lets the typed client read, watch and patch GPUPools like any built-in kind.
extension GPUPool: KubernetesResource {
    public static let groupVersionResource = GroupVersionResource(group: group, version: version, resource: plural)
    public static let scope = ResourceScope.namespaced
}
