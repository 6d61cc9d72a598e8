/// `metav1.Condition`: one observed aspect of an object's state. Conventions (api-conventions.md):
/// CamelCase `type` and `reason`, a sentence for `message`, `observedGeneration` from the spec the
/// observation was made against, and `lastTransitionTime` that moves only when `status` changes.
public struct Condition: Codable, Sendable, Hashable {
    public var type: String
    public var status: ConditionStatus
    public var observedGeneration: Int64?
    /// RFC 3339, truncated to seconds.
    public var lastTransitionTime: String
    public var reason: String
    public var message: String

    public init(type: String, status: ConditionStatus, observedGeneration: Int64? = nil, lastTransitionTime: String, reason: String, message: String) {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

public enum ConditionStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}

extension Array where Element == Condition {
    /// The condition of the given type, if present.
    public subscript(type type: String) -> Condition? {
        first { $0.type == type }
    }

    /// Sets `condition`, keeping the existing `lastTransitionTime` when the status did not change,
    /// as cluster-api's condition setter does. Returns whether anything changed, so callers can
    /// skip a status write (and its watch event) when nothing did.
    @discardableResult
    public mutating func set(_ condition: Condition) -> Bool {
        guard let index = firstIndex(where: { $0.type == condition.type }) else {
            append(condition)
            return true
        }
        var updated = condition
        if self[index].status == condition.status {
            updated.lastTransitionTime = self[index].lastTransitionTime
        }
        guard self[index] != updated else { return false }
        self[index] = updated
        return true
    }
}
