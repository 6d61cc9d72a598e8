import FleetcastAPI
import KubeAPI

/// What the GPUPool informer keeps of each pool: the object as stored (raw JSON, so the reconciler
/// reads pools from this cache, as controller-runtime's cached client does, instead of GETting one
/// per reconcile) and the selectors that say which pod, node and namespace changes concern it. Decoded
/// leniently, so a pool whose spec is invalid is still watched (and reconciled into an
/// `InvalidSpec` condition).
struct PoolSelectors: KubernetesResource, Hashable {
    static let groupVersionResource = GPUPool.groupVersionResource
    static let kind = GPUPool.kind
    static let scope = ResourceScope.namespaced

    var metadata: ObjectMeta
    var nodeSelector: LabelSelector?
    var podSelector: LabelSelector?
    /// `spec.demand.pods.namespaceSelector`: nil counts the pool's own namespace only.
    var namespaceSelector: LabelSelector?
    /// The whole object; nil only for values built in code rather than decoded.
    var object: JSONValue?

    init(metadata: ObjectMeta, nodeSelector: LabelSelector? = nil, podSelector: LabelSelector? = nil) {
        self.metadata = metadata
        self.nodeSelector = nodeSelector
        self.podSelector = podSelector
    }

    private struct Spec: Codable {
        struct Nodes: Codable { var selector: LabelSelector? }
        struct Pods: Codable { var selector: LabelSelector?; var namespaceSelector: LabelSelector? }
        struct Demand: Codable { var pods: Pods? }
        var nodes: Nodes?
        var demand: Demand?
    }

    private enum CodingKeys: String, CodingKey { case metadata, spec }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        let spec = try? container.decodeIfPresent(Spec.self, forKey: .spec)
        nodeSelector = spec?.nodes?.selector
        podSelector = spec?.demand?.pods?.selector
        namespaceSelector = spec?.demand?.pods?.namespaceSelector
        object = try JSONValue(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        if let object {
            try object.encode(to: encoder)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(Spec(nodes: .init(selector: nodeSelector), demand: .init(pods: .init(selector: podSelector, namespaceSelector: namespaceSelector))), forKey: .spec)
    }

    var key: (namespace: String, name: String) { (metadata.namespace ?? "", metadata.name ?? "") }

    /// Whether a change to this pod may change the pool's demand. `namespaceLabels` are the labels of
    /// the pod's namespace, nil when unknown (then only the pool's own namespace counts, as the
    /// reconciler counts it).
    func concerns(pod: Pod, namespaceLabels: [String: String]?) -> Bool {
        guard let podSelector, podSelector.matches(pod.metadata.labels ?? [:]) else { return false }
        if let namespaceSelector, let namespaceLabels {
            return namespaceSelector.matches(namespaceLabels)
        }
        return pod.metadata.namespace == metadata.namespace
    }

    /// Whether an object in `namespace` (a CronJob, a Job) is in the pool's demand namespaces.
    func concerns(namespace: String?, labels: [String: String]?) -> Bool {
        if let namespaceSelector, let labels { return namespaceSelector.matches(labels) }
        return namespace == metadata.namespace
    }

    /// Whether a change to this namespace's labels may change the pool's demand.
    func concerns(namespace: KubeNamespace) -> Bool {
        namespaceSelector?.matches(namespace.metadata.labels ?? [:]) ?? false
    }

    /// Whether a change to this node may change the pool's nodes.
    func concerns(node: KubeNode) -> Bool {
        guard let nodeSelector else { return false }
        return nodeSelector.matches(node.metadata.labels ?? [:])
    }
}
