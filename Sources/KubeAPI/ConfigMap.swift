/// `core/v1 ConfigMap`: small string data. Fleetcast keeps each pool's compact demand history in one.
public struct ConfigMap: KubernetesResource, Hashable {
    public static let groupVersionResource = GroupVersionResource(group: "", version: "v1", resource: "configmaps")
    public static let kind = "ConfigMap"
    public static let scope = ResourceScope.namespaced

    public var apiVersion: String? = ConfigMap.apiVersion
    public var kind: String? = ConfigMap.kind
    public var metadata: ObjectMeta
    public var data: [String: String]?
    /// Base64-encoded values, as on the wire.
    public var binaryData: [String: String]?

    public init(metadata: ObjectMeta, data: [String: String]? = nil, binaryData: [String: String]? = nil) {
        self.metadata = metadata
        self.data = data
        self.binaryData = binaryData
    }
}
