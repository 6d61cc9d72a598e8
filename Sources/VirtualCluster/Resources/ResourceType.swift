import KubeAPI

/// Where a resource's objects live: one bucket per group and plural, shared by all served versions
/// (the virtual cluster does no schema conversion between versions, like a CRD with `strategy: None`).
struct ResourceKey: Hashable, Sendable, CustomStringConvertible {
    var group: String
    var resource: String

    var description: String { APIError.qualified(resource, group) }
}

/// How `metadata.generation` moves (kube-api-semantics.md §2).
enum GenerationPolicy: Sendable, Hashable {
    /// Never set (pods in 1.32, nodes, events, leases…).
    case none
    /// 1 on create, +1 when anything outside `metadata` (and `status`, when it is a subresource) changes.
    case nonMetadataChanges
}

/// The `/scale` subresource mapping, in dotted paths as CRDs declare it.
struct ScaleSubresource: Sendable, Hashable {
    var specReplicasPath: [String]
    var statusReplicasPath: [String]
    /// A string field holding the selector, or a structured selector field for built-ins.
    var labelSelectorPath: [String]?
    var selectorIsStructured: Bool = false
}

/// A column of the Table kubectl prints.
struct PrinterColumn: Sendable, Hashable {
    var name: String
    var type: String
    var format: String?
    var description: String
    var priority: Int
    var jsonPath: String
}

/// One served resource type: built-in or created from a CRD. Everything the routes, discovery and
/// OpenAPI need to know about it.
struct ResourceType: Sendable {
    var group: String
    /// Served versions, most preferred first.
    var versions: [String]
    var plural: String
    var singular: String
    var kind: String
    var listKind: String
    var namespaced: Bool
    var shortNames: [String] = []
    var categories: [String] = []
    var hasStatusSubresource: Bool = false
    var scale: ScaleSubresource?
    var generation: GenerationPolicy = .none
    /// Whether create keeps a client-supplied status (nodes do; CRDs and deployments drop it).
    var keepsStatusOnCreate: Bool = false
    /// Whether DELETE answers with the object rather than a Success `Status` (pods).
    var returnsDeletedObject: Bool = false
    /// Extra field selector keys besides `metadata.name` / `metadata.namespace`, with their paths.
    var selectableFields: [String: [String]] = [:]
    var isCustom: Bool = false
    /// Per version: the structural schema (custom resources only) and printer columns.
    var schemas: [String: StructuralSchema] = [:]
    var printerColumns: [String: [PrinterColumn]] = [:]
    /// Built-in kinds accept strategic merge patches; custom resources answer 415.
    var acceptsStrategicMerge: Bool { !isCustom }
    /// Deprecated versions are flagged in discovery (kubectl warns).
    var deprecatedVersions: Set<String> = []
    /// A create-only review (TokenReview, SubjectAccessReview): answered from the request, never stored.
    var isReview: Bool = false

    var key: ResourceKey { ResourceKey(group: group, resource: plural) }

    func apiVersion(for version: String) -> String {
        group.isEmpty ? version : "\(group)/\(version)"
    }

    var verbs: [String] {
        if isReview { return ["create"] }
        return ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    }

    var subresourceNames: [String] {
        var names: [String] = []
        if hasStatusSubresource { names.append("status") }
        if scale != nil { names.append("scale") }
        if group.isEmpty && plural == "pods" { names.append("binding") }
        if group.isEmpty && plural == "serviceaccounts" { names.append("token") }
        return names
    }
}
