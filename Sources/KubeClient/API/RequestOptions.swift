import Foundation
import KubeAPI

/// Options of list and watch calls (`metav1.ListOptions`).
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; the client follows `continue` tokens until the list is complete.
    public var limit: Int?
    public var resourceVersion: String?
    /// `Exact` or `NotOlderThan`; only meaningful with `resourceVersion`.
    public var resourceVersionMatch: String?
    public var timeoutSeconds: Int?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, resourceVersion: String? = nil, resourceVersionMatch: String? = nil, timeoutSeconds: Int? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
    }

    /// Selects with a structured selector (`matchLabels`/`matchExpressions`).
    public init(selector: LabelSelector, limit: Int? = nil) {
        self.init(labelSelector: selector.queryString, limit: limit)
    }

    var selectorQuery: [QueryParameter] {
        var query: [QueryParameter] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(.init("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(.init("fieldSelector", fieldSelector)) }
        return query
    }
}

/// The patch flavours the API server accepts, each with its content type.
public enum PatchType: Sendable, Hashable {
    /// RFC 7386: objects merge, `null` deletes, arrays are replaced.
    case merge
    /// RFC 6902 operations.
    case json
    /// Built-in kinds only; CRDs answer 415.
    case strategicMerge
    /// Server-side apply: the body is the full intent; `force` takes over conflicting fields.
    case apply(fieldManager: String, force: Bool)

    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }
}

/// Options of create, update and patch.
public struct WriteOptions: Sendable, Hashable {
    /// Recorded in managedFields; required for apply.
    public var fieldManager: String?
    public var dryRun: Bool

    public init(fieldManager: String? = nil, dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
    }

    var query: [QueryParameter] {
        var query: [QueryParameter] = []
        if let fieldManager { query.append(.init("fieldManager", fieldManager)) }
        if dryRun { query.append(.init("dryRun", "All")) }
        return query
    }
}

/// Body of a DELETE (`metav1.DeleteOptions`).
public struct DeleteOptions: Codable, Sendable, Hashable {
    public enum PropagationPolicy: String, Codable, Sendable, Hashable {
        case orphan = "Orphan", background = "Background", foreground = "Foreground"
    }

    public struct Preconditions: Codable, Sendable, Hashable {
        public var uid: String?
        public var resourceVersion: String?

        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    public var apiVersion = "v1"
    public var kind = "DeleteOptions"
    public var propagationPolicy: PropagationPolicy?
    public var preconditions: Preconditions?
    public var gracePeriodSeconds: Int64?

    public init(propagationPolicy: PropagationPolicy? = nil, preconditions: Preconditions? = nil, gracePeriodSeconds: Int64? = nil) {
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
        self.gracePeriodSeconds = gracePeriodSeconds
    }
}
