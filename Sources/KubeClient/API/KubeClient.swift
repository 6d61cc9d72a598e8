import Foundation
import KubeAPI

/// The Kubernetes client: typed REST over libcurl with retries, rate limiting and watches. Create one
/// per process and share it; it is thread-safe and reuses connections across calls.
public final class KubeClient: KubeAPIClient {
    public let configuration: ClientConfiguration
    let executor: RequestExecutor
    private let encoder: JSONEncoder

    /// - Parameter observer: told about every finished request (verb, status code, latency), e.g. to
    ///   export API metrics; the client itself depends on no metrics library.
    public init(configuration: ClientConfiguration, observer: (any KubeRequestObserver)? = nil) {
        self.configuration = configuration
        executor = RequestExecutor(configuration: configuration, observer: observer)
        encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
    }

    /// Watch transfers (each a thread with its own libcurl handle) that have not finished yet. Drops
    /// back as soon as a cancelled or ended watch has released its handle: a leak detector for tests
    /// and a gauge for metrics.
    public var activeWatchCount: Int { executor.liveStreams.value }

    /// The namespace single-object calls use when given `nil`.
    public var defaultNamespace: String { configuration.namespace }

    func namespace(for resource: ResourceDescriptor, _ namespace: String?, allowAll: Bool) -> String? {
        guard resource.scope == .namespaced else { return nil }
        if let namespace, !namespace.isEmpty { return namespace }
        return allowAll ? nil : configuration.namespace
    }

    func decode<T: Decodable>(_ type: T.Type, from data: Data, context: @autoclosure () -> String) throws(KubeError) -> T {
        do {
            return try KubeJSONDecoder().decode(type, from: data)
        } catch {
            throw .decoding("\(context()): \(error)")
        }
    }

    func encode<T: Encodable>(_ value: T) throws(KubeError) -> Data {
        do {
            return try encoder.encode(value)
        } catch {
            throw .decoding("cannot encode \(T.self): \(error)")
        }
    }

    /// Sends a prepared request and returns the raw 2xx response: the escape hatch for endpoints the
    /// typed calls do not cover (discovery, `/version`).
    public func send(_ request: APIRequest) async throws(KubeError) -> HTTPResponse {
        try await executor.send(request)
    }

    // MARK: KubeReader

    public func get<T: Decodable & Sendable>(_ resource: ResourceDescriptor, name: String, namespace: String?, subresource: String? = nil, as type: T.Type) async throws(KubeError) -> T {
        let path = ResourcePath.path(resource.groupVersionResource, namespace: self.namespace(for: resource, namespace, allowAll: false), name: name, subresource: subresource)
        let response = try await executor.send(APIRequest(method: .get, path: path))
        return try decode(type, from: response.body, context: "GET \(path)")
    }

    public func list<T: Decodable & Sendable>(_ resource: ResourceDescriptor, namespace: String?, options: ListOptions = ListOptions(), as type: T.Type) async throws(KubeError) -> ObjectList<T> {
        let path = ResourcePath.path(resource.groupVersionResource, namespace: self.namespace(for: resource, namespace, allowAll: true))
        var result: ObjectList<T>?
        var continueToken: String?
        repeat {
            var query = options.selectorQuery
            if let limit = options.limit { query.append(.init("limit", String(limit))) }
            if let continueToken {
                query.append(.init("continue", continueToken))
            } else {
                if let rv = options.resourceVersion { query.append(.init("resourceVersion", rv)) }
                if let match = options.resourceVersionMatch { query.append(.init("resourceVersionMatch", match)) }
            }
            if let timeout = options.timeoutSeconds { query.append(.init("timeoutSeconds", String(timeout))) }
            let response = try await executor.send(APIRequest(method: .get, path: path, query: query))
            let page = try decode(ObjectList<T>.self, from: response.body, context: "list \(path)")
            if result == nil {
                result = page
            } else {
                result?.items.append(contentsOf: page.items)
            }
            continueToken = page.metadata.continue.flatMap { $0.isEmpty ? nil : $0 }
        } while continueToken != nil
        result?.metadata.continue = nil
        result?.metadata.remainingItemCount = nil
        return result ?? ObjectList(items: [])
    }

    // MARK: KubeWriter

    public func create<T: Codable & Sendable>(_ resource: ResourceDescriptor, namespace: String?, object: T, options: WriteOptions = WriteOptions()) async throws(KubeError) -> T {
        let path = ResourcePath.path(resource.groupVersionResource, namespace: self.namespace(for: resource, namespace, allowAll: false))
        let request = APIRequest(method: .post, path: path, query: options.query, contentType: "application/json", body: try encode(object))
        let response = try await executor.send(request)
        return try decode(T.self, from: response.body, context: "POST \(path)")
    }

    public func update<T: Codable & Sendable>(_ resource: ResourceDescriptor, name: String, namespace: String?, object: T, subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws(KubeError) -> T {
        let path = ResourcePath.path(resource.groupVersionResource, namespace: self.namespace(for: resource, namespace, allowAll: false), name: name, subresource: subresource)
        let request = APIRequest(method: .put, path: path, query: options.query, contentType: "application/json", body: try encode(object))
        let response = try await executor.send(request)
        return try decode(T.self, from: response.body, context: "PUT \(path)")
    }

    public func patch<T: Decodable & Sendable>(_ resource: ResourceDescriptor, name: String, namespace: String?, type: PatchType, body: Data, subresource: String? = nil, options: WriteOptions = WriteOptions(), as resultType: T.Type) async throws(KubeError) -> T {
        let path = ResourcePath.path(resource.groupVersionResource, namespace: self.namespace(for: resource, namespace, allowAll: false), name: name, subresource: subresource)
        var query = options.query
        if case .apply(let manager, let force) = type {
            query.removeAll { $0.name == "fieldManager" }
            query.append(.init("fieldManager", manager))
            if force { query.append(.init("force", "true")) }
        }
        let request = APIRequest(method: .patch, path: path, query: query, contentType: type.contentType, body: body)
        let response = try await executor.send(request)
        return try decode(T.self, from: response.body, context: "PATCH \(path)")
    }

    public func delete(_ resource: ResourceDescriptor, name: String, namespace: String?, options: DeleteOptions = DeleteOptions()) async throws(KubeError) {
        let path = ResourcePath.path(resource.groupVersionResource, namespace: self.namespace(for: resource, namespace, allowAll: false), name: name)
        _ = try await executor.send(APIRequest(method: .delete, path: path, contentType: "application/json", body: try encode(options)))
    }

    // MARK: KubeWatcher

    public func watch<T: Decodable & Sendable>(_ resource: ResourceDescriptor, namespace: String?, options: ListOptions = ListOptions(), allowBookmarks: Bool = true, as type: T.Type) async throws(KubeError) -> WatchStream<T> {
        let path = ResourcePath.path(resource.groupVersionResource, namespace: self.namespace(for: resource, namespace, allowAll: true))
        var query = options.selectorQuery
        query.append(.init("watch", "true"))
        if let rv = options.resourceVersion { query.append(.init("resourceVersion", rv)) }
        if allowBookmarks { query.append(.init("allowWatchBookmarks", "true")) }
        if let timeout = options.timeoutSeconds { query.append(.init("timeoutSeconds", String(timeout))) }
        let bytes = try await executor.stream(APIRequest(method: .get, path: path, query: query))
        return WatchStream(bytes: bytes)
    }
}
