/// The node-affinity part of a pod's `spec.affinity`: the scheduler places a pod only on nodes whose
/// labels satisfy one of the required terms, so a pool's capacity only helps the pods that may use it.
/// Preferred terms and pod (anti-)affinity are not modelled.
public struct Affinity: Codable, Sendable, Hashable {
    public var nodeAffinity: NodeAffinity?

    public init(nodeAffinity: NodeAffinity? = nil) {
        self.nodeAffinity = nodeAffinity
    }
}

public struct NodeAffinity: Codable, Sendable, Hashable {
    public var requiredDuringSchedulingIgnoredDuringExecution: NodeSelector?

    public init(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector? = nil) {
        self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
    }
}

/// Terms are ORed; an empty list matches no node, as the API defines.
public struct NodeSelector: Codable, Sendable, Hashable {
    public var nodeSelectorTerms: [NodeSelectorTerm]

    public init(nodeSelectorTerms: [NodeSelectorTerm]) {
        self.nodeSelectorTerms = nodeSelectorTerms
    }

    public func matches(labels: [String: String], name: String) -> Bool {
        nodeSelectorTerms.contains { $0.matches(labels: labels, name: name) }
    }
}

/// Expressions and fields are ANDed; a term with neither matches no node.
public struct NodeSelectorTerm: Codable, Sendable, Hashable {
    public var matchExpressions: [NodeSelectorRequirement]?
    public var matchFields: [NodeSelectorRequirement]?

    public init(matchExpressions: [NodeSelectorRequirement]? = nil, matchFields: [NodeSelectorRequirement]? = nil) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }

    public func matches(labels: [String: String], name: String) -> Bool {
        let expressions = matchExpressions ?? [], fields = matchFields ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        return expressions.allSatisfy { $0.matches(labels[$0.key]) }
            && fields.allSatisfy { $0.key == "metadata.name" && $0.matches(name) }
    }
}

/// `In`, `NotIn`, `Exists`, `DoesNotExist`, and the integer comparisons `Gt`/`Lt`.
public struct NodeSelectorRequirement: Codable, Sendable, Hashable {
    public var key: String
    public var `operator`: String
    public var values: [String]?

    public init(key: String, operator: String, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    /// Whether a node's value for `key` (nil when the label is absent) satisfies the requirement.
    public func matches(_ value: String?) -> Bool {
        let values = values ?? []
        switch self.operator {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return value.map { !values.contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let value, let actual = Int64(value), values.count == 1, let bound = Int64(values[0]) else { return false }
            return self.operator == "Gt" ? actual > bound : actual < bound
        default: return false
        }
    }
}
