import Foundation
import KubeAPI

/// Reads objects. Reconcilers depend on these protocols, not on `KubeClient`, so they can be tested
/// against an in-memory fake. Namespaces: for single objects of a namespaced resource `nil` means the
/// client's default namespace; for list and watch `nil` means all namespaces. Cluster-scoped
/// resources ignore the namespace.
public protocol KubeReader: Sendable {
    func get<T: Decodable & Sendable>(_ resource: ResourceDescriptor, name: String, namespace: String?, subresource: String?, as type: T.Type) async throws(KubeError) -> T
    /// Every page: when `options.limit` is set the client follows `continue` tokens to the end.
    func list<T: Decodable & Sendable>(_ resource: ResourceDescriptor, namespace: String?, options: ListOptions, as type: T.Type) async throws(KubeError) -> ObjectList<T>
}

/// Changes objects.
public protocol KubeWriter: Sendable {
    func create<T: Codable & Sendable>(_ resource: ResourceDescriptor, namespace: String?, object: T, options: WriteOptions) async throws(KubeError) -> T
    /// PUT; carries the object's resourceVersion, so a stale copy fails with `.conflict`.
    func update<T: Codable & Sendable>(_ resource: ResourceDescriptor, name: String, namespace: String?, object: T, subresource: String?, options: WriteOptions) async throws(KubeError) -> T
    func patch<T: Decodable & Sendable>(_ resource: ResourceDescriptor, name: String, namespace: String?, type: PatchType, body: Data, subresource: String?, options: WriteOptions, as resultType: T.Type) async throws(KubeError) -> T
    func delete(_ resource: ResourceDescriptor, name: String, namespace: String?, options: DeleteOptions) async throws(KubeError)
}

/// Streams changes.
public protocol KubeWatcher: Sendable {
    /// Starts a watch after `options.resourceVersion` (exclusive). `options.limit` is ignored.
    func watch<T: Decodable & Sendable>(_ resource: ResourceDescriptor, namespace: String?, options: ListOptions, allowBookmarks: Bool, as type: T.Type) async throws(KubeError) -> WatchStream<T>
}

/// Everything a controller needs.
public typealias KubeAPIClient = KubeReader & KubeWriter & KubeWatcher
