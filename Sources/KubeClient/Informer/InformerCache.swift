import KubeAPI

/// Identifies an object in a cache: namespace (empty for cluster-scoped) and name.
public struct NamespacedName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = namespace ?? ""
        self.name = name
    }

    public init(_ metadata: ObjectMeta) {
        self.init(namespace: metadata.namespace, name: metadata.name ?? "")
    }

    public static func < (lhs: NamespacedName, rhs: NamespacedName) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }

    public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// What changed in a cache, as delivered to informer subscribers.
public enum InformerChange<Object: Sendable>: Sendable {
    case added(Object)
    case updated(old: Object, new: Object)
    case deleted(Object)

    /// The object as it is now (for deletions: its last state).
    public var object: Object {
        switch self {
        case .added(let o), .deleted(let o): o
        case .updated(_, let new): new
        }
    }
}

extension InformerChange: Equatable where Object: Equatable {}

/// The informer's local store, as a pure value: objects by namespace/name, with indexes by namespace,
/// by label pair and by any named index function the owner adds (client-go's `Indexers`, e.g. pods by
/// `spec.nodeName`). Applying watch events and replacing with a relist both report exactly the
/// changes a subscriber has to see.
public struct InformerCache<Object: KubernetesResource>: Sendable {
    /// Maps an object to the values it is filed under in one index (none: not in that index).
    public typealias IndexFunction = @Sendable (Object) -> [String]

    public private(set) var objects: [NamespacedName: Object] = [:]
    private var byNamespace: [String: Set<NamespacedName>] = [:]
    private var byLabel: [String: [String: Set<NamespacedName>]] = [:]
    private let indexers: [String: IndexFunction]
    private var byIndex: [String: [String: Set<NamespacedName>]] = [:]

    /// - Parameter indexers: extra indexes by name, kept up to date with every change.
    public init(indexers: [String: IndexFunction] = [:]) {
        self.indexers = indexers
    }

    public var count: Int { objects.count }

    public func get(namespace: String?, name: String) -> Object? {
        objects[NamespacedName(namespace: namespace, name: name)]
    }

    /// Objects in a namespace (all when nil) matching an optional selector, in key order.
    public func list(namespace: String? = nil, selector: LabelSelector? = nil) -> [Object] {
        var keys: Set<NamespacedName>
        if let equality = selector?.matchLabels, !equality.isEmpty {
            // Start from the smallest exact-match index rather than scanning everything.
            keys = equality.map { self.keys(withLabel: $0.key, value: $0.value) }.min(by: { $0.count < $1.count }) ?? []
            if let namespace { keys = keys.filter { $0.namespace == namespace } }
        } else if let namespace {
            keys = byNamespace[namespace] ?? []
        } else {
            keys = Set(objects.keys)
        }
        return keys.sorted().compactMap { key in
            guard let object = objects[key] else { return nil }
            if let selector, !selector.matches(object.metadata.labels ?? [:]) { return nil }
            return object
        }
    }

    /// Objects filed under any of `values` in the index named `index`, in key order (client-go's
    /// `ByIndex` over several values). Empty for an index this cache was not given.
    public func list(index: String, values: some Sequence<String>) -> [Object] {
        guard let entries = byIndex[index] else { return [] }
        var keys = Set<NamespacedName>()
        for value in values {
            if let filed = entries[value] { keys.formUnion(filed) }
        }
        return keys.sorted().compactMap { objects[$0] }
    }

    /// Keys of objects carrying `label=value`.
    public func keys(withLabel label: String, value: String) -> Set<NamespacedName> {
        byLabel[label]?[value] ?? []
    }

    /// Adds or replaces one object; nil when nothing changed (same resourceVersion).
    @discardableResult
    public mutating func upsert(_ object: Object) -> InformerChange<Object>? {
        let key = NamespacedName(object.metadata)
        if let old = objects[key] {
            if let rv = object.metadata.resourceVersion, rv == old.metadata.resourceVersion { return nil }
            unindex(old, key: key)
            objects[key] = object
            index(object, key: key)
            return .updated(old: old, new: object)
        }
        objects[key] = object
        index(object, key: key)
        return .added(object)
    }

    /// Removes one object; reports the last known state (the cached one if it was there).
    @discardableResult
    public mutating func remove(_ object: Object) -> InformerChange<Object>? {
        let key = NamespacedName(object.metadata)
        guard let old = objects.removeValue(forKey: key) else { return nil }
        unindex(old, key: key)
        return .deleted(object)
    }

    /// Applies one watch event.
    public mutating func apply(_ event: WatchEvent<Object>) -> InformerChange<Object>? {
        switch event {
        case .added(let o), .modified(let o): upsert(o)
        case .deleted(let o): remove(o)
        case .bookmark: nil
        }
    }

    /// Replaces the contents with a fresh list: objects missing from it were deleted while we were
    /// not watching, changed ones are updates, new ones adds.
    public mutating func replace(with fresh: [Object]) -> [InformerChange<Object>] {
        var changes: [InformerChange<Object>] = []
        let freshKeys = Set(fresh.map { NamespacedName($0.metadata) })
        for key in objects.keys.sorted() where !freshKeys.contains(key) {
            if let old = objects[key], let change = remove(old) { changes.append(change) }
        }
        for object in fresh {
            if let change = upsert(object) { changes.append(change) }
        }
        return changes
    }

    private mutating func index(_ object: Object, key: NamespacedName) {
        byNamespace[key.namespace, default: []].insert(key)
        for (label, value) in object.metadata.labels ?? [:] {
            byLabel[label, default: [:]][value, default: []].insert(key)
        }
        for (name, function) in indexers {
            for value in function(object) { byIndex[name, default: [:]][value, default: []].insert(key) }
        }
    }

    private mutating func unindex(_ object: Object, key: NamespacedName) {
        byNamespace[key.namespace]?.remove(key)
        if byNamespace[key.namespace]?.isEmpty == true { byNamespace[key.namespace] = nil }
        for (label, value) in object.metadata.labels ?? [:] {
            byLabel[label]?[value]?.remove(key)
            if byLabel[label]?[value]?.isEmpty == true { byLabel[label]?[value] = nil }
            if byLabel[label]?.isEmpty == true { byLabel[label] = nil }
        }
        for (name, function) in indexers {
            for value in function(object) {
                byIndex[name]?[value]?.remove(key)
                if byIndex[name]?[value]?.isEmpty == true { byIndex[name]?[value] = nil }
            }
        }
    }
}
