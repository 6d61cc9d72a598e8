import Foundation
import KubeAPI

/// The Kubernetes API, independent of the HTTP server: routes a request to discovery, OpenAPI or a
/// resource verb and answers with the real server's shapes.
final class ClusterAPI: Sendable {
    let store: ObjectStore
    let registry: ResourceRegistry
    let intents = ApplyIntents()
    let snapshots: ListSnapshots
    let faults: FaultInjector
    let bookmarkInterval: Duration
    let serverAddress: String
    /// RBAC for resource requests; `nil` allows every authenticated user everything.
    let authorizer: RBACAuthorizer?
    /// Accepted bearer tokens; `serviceaccounts/token` adds to them.
    let tokens: TokenRegistry

    init(store: ObjectStore, registry: ResourceRegistry, snapshots: ListSnapshots, faults: FaultInjector,
         bookmarkInterval: Duration, serverAddress: String, tokens: TokenRegistry, authorizer: RBACAuthorizer? = nil) {
        self.authorizer = authorizer
        self.tokens = tokens
        self.store = store
        self.registry = registry
        self.snapshots = snapshots
        self.faults = faults
        self.bookmarkInterval = bookmarkInterval
        self.serverAddress = serverAddress
    }

    func handle(_ request: APIRequest) async -> APIResponse {
        do {
            return try await dispatch(request)
        } catch {
            return isResource(request) ? APIResponse.error(error).negotiated(for: request) : .error(error)
        }
    }

    /// Whether the path names a built-in resource, whose answers may be protobuf.
    private func isResource(_ request: APIRequest) -> Bool {
        guard case .resource(let target)? = try? RequestRouting(registry: registry).route(request.path) else { return false }
        return !target.type.isCustom
    }

    private func dispatch(_ request: APIRequest) async throws(APIError) -> APIResponse {
        let route = try RequestRouting(registry: registry).route(request.path)
        let discovery = Discovery(registry: registry, serverAddress: serverAddress)
        switch route {
        case .version:
            return .json(VersionInfo.document)
        case .health:
            return APIResponse(code: 200, contentType: "text/plain", body: .text("ok"))
        case .coreDiscovery, .groupsDiscovery:
            let core = { if case .coreDiscovery = route { return true } else { return false } }()
            if Discovery.wantsAggregated(request.accept) {
                var response = APIResponse.json(discovery.aggregated(core: core))
                response.contentType = Discovery.aggregatedContentType
                response.headers["Vary"] = "Accept"
                return response
            }
            return .json(core ? discovery.apiVersions() : discovery.apiGroupList())
        case .groupDiscovery(let group):
            guard let document = discovery.apiGroup(named: group) else { throw APIError.unknownPath }
            return .json(document)
        case .resourceList(let group, let version):
            guard let document = discovery.resourceList(group: group, version: version) else { throw APIError.unknownPath }
            return .json(document)
        case .openAPIIndex:
            return .json(OpenAPIDocuments(registry: registry).index())
        case .openAPIDocument(let path):
            guard let document = OpenAPIDocuments(registry: registry).document(for: path) else { throw APIError.unknownPath }
            return .json(document)
        case .openAPIV2:
            // Only the protobuf form, the one kubectl asks for; other clients get the 404 they tolerate.
            guard request.accept.contains(OpenAPIV2Document.acceptedMediaType) || request.accept.contains(OpenAPIV2Document.contentType)
            else { throw APIError.unknownPath }
            return APIResponse(code: 200, contentType: OpenAPIV2Document.contentType,
                               body: .bytes(OpenAPIV2Document(registry: registry).protobuf()))
        case .faults:
            return try faults.handleAdminRequest(request, store: store, snapshots: snapshots)
        case .resource(let target):
            try authorizer?.authorize(RequestAttributes(request, target))
            let response = try await resource(request, target)
            return target.type.isCustom && target.subresource != "scale" ? response : response.negotiated(for: request)
        }
    }

    private func resource(_ request: APIRequest, _ target: ResourceTarget) async throws(APIError) -> APIResponse {
        if target.type.isReview {
            guard request.method == "POST", target.name == nil, target.subresource == nil else {
                throw APIError.methodNotAllowed(request.method)
            }
            return try review(request, target)
        }
        switch (request.method, target.name, target.subresource) {
        case ("GET", nil, _):
            return request.isWatch ? try watch(request, target) : try list(request, target)
        case ("GET", _?, "scale"?): return try getScale(request, target)
        case ("GET", _?, _): return try get(request, target)
        case ("POST", nil, _): return try create(request, target)
        case ("POST", _?, "binding"?): return try bind(request, target)
        case ("POST", _?, "token"?): return try createToken(request, target)
        case ("PUT", _?, "scale"?): return try updateScale(request, target)
        case ("PUT", _?, _): return try update(request, target)
        case ("PATCH", _?, "scale"?): return try patchScale(request, target)
        case ("PATCH", _?, _): return try patch(request, target)
        case ("DELETE", nil, nil): return try deleteCollection(request, target)
        case ("DELETE", _?, nil): return try delete(request, target)
        default: throw APIError.methodNotAllowed(request.method)
        }
    }

    /// The object as the client asked for it: `apiVersion` of the requested version.
    func render(_ object: JSONValue, _ target: ResourceTarget) -> JSONValue {
        object.rendered(apiVersion: target.type.apiVersion(for: target.version), kind: target.type.kind)
    }

    func preparation(_ request: APIRequest, _ target: ResourceTarget) -> ObjectPreparation {
        ObjectPreparation(type: target.type, version: target.version, fieldValidation: request.fieldValidation, now: store.clock())
    }

    func notFound(_ target: ResourceTarget) -> APIError {
        .notFound(resource: target.type.plural, group: target.type.group, name: target.name ?? "")
    }

    func conflict(_ target: ResourceTarget) -> APIError {
        .conflict(resource: target.type.plural, group: target.type.group, name: target.name ?? "")
    }
}
