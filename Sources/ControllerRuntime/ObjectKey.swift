/// The name of the object a reconcile is about, and nothing else. Like controller-runtime's
/// `reconcile.Request`, it carries no event and no object contents: reconciliation is level-based,
/// so the reconciler reads the current state from a cache or the API server every time.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Empty for cluster-scoped objects.
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// A cluster-scoped object's key.
    public init(name: String) {
        self.init(namespace: "", name: name)
    }

    /// `namespace/name`, or just `name` when cluster-scoped: the form kubectl and logs use.
    public var description: String {
        namespace.isEmpty ? name : "\(namespace)/\(name)"
    }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}
