/// Where a request path leads.
enum Route: Sendable {
    case version
    case health
    case coreDiscovery
    case groupsDiscovery
    case groupDiscovery(String)
    case resourceList(group: String, version: String)
    case openAPIIndex
    case openAPIDocument(String)
    case openAPIV2
    case resource(ResourceTarget)
    case faults
}

/// A request for a resource collection, one object, or one of its subresources.
struct ResourceTarget: Sendable {
    var type: ResourceType
    var version: String
    var namespace: String?
    var name: String?
    var subresource: String?

    /// The store's namespace key ("" for cluster-scoped objects).
    var storeNamespace: String { namespace ?? "" }
}

/// Maps request paths to routes against the types currently served.
struct RequestRouting {
    let registry: ResourceRegistry
    static let faultsPath = "/fleetcast.dev/admin/faults"

    func route(_ path: String) throws(APIError) -> Route {
        let segments = path.split(separator: "/").map(String.init)
        switch segments.first {
        case nil: throw APIError.unknownPath
        case "version": return .version
        case "healthz", "readyz", "livez": return .health
        case "openapi":
            if segments.count >= 2 && segments[1] == "v2" { return .openAPIV2 }
            guard segments.count >= 2, segments[1] == "v3" else { throw APIError.unknownPath }
            return segments.count == 2 ? .openAPIIndex : .openAPIDocument(segments.dropFirst(2).joined(separator: "/"))
        case "api":
            if segments.count == 1 { return .coreDiscovery }
            if segments.count == 2 { return .resourceList(group: "", version: segments[1]) }
            return .resource(try resource(group: "", version: segments[1], rest: Array(segments.dropFirst(2))))
        case "apis":
            switch segments.count {
            case 1: return .groupsDiscovery
            case 2: return .groupDiscovery(segments[1])
            case 3: return .resourceList(group: segments[1], version: segments[2])
            default: return .resource(try resource(group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3))))
            }
        default:
            if path == Self.faultsPath { return .faults }
            throw APIError.unknownPath
        }
    }

    private func resource(group: String, version: String, rest: [String]) throws(APIError) -> ResourceTarget {
        var rest = rest
        var namespace: String?
        if rest.count >= 3, rest[0] == "namespaces", let type = registry.type(group: group, version: version, plural: rest[2]), type.namespaced {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard let plural = rest.first, let type = registry.type(group: group, version: version, plural: plural) else {
            throw APIError.unknownPath
        }
        if type.namespaced && namespace == nil && rest.count > 1 { throw APIError.unknownPath }
        if !type.namespaced && namespace != nil { throw APIError.unknownPath }
        let name = rest.count > 1 ? rest[1] : nil
        let subresource = rest.count > 2 ? rest[2] : nil
        if rest.count > 3 { throw APIError.unknownPath }
        if let subresource, !type.subresourceNames.contains(subresource) { throw APIError.unknownPath }
        return ResourceTarget(type: type, version: version, namespace: namespace, name: name, subresource: subresource)
    }
}
