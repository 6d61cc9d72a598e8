import Foundation
import KubeAPI

/// One API call before it meets the network: method, path, query and body. Pure, so URL shapes are
/// unit-tested without a server.
public struct APIRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// Absolute path, e.g. `/apis/apps/v1/namespaces/default/deployments/web/scale`.
    public var path: String
    public var query: [QueryParameter]
    public var contentType: String?
    public var body: Data?

    public init(method: HTTPMethod, path: String, query: [QueryParameter] = [], contentType: String? = nil, body: Data? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.contentType = contentType
        self.body = body
    }

    /// The path and percent-encoded query; `+`, `,`, `=`, `!` and spaces in selectors are escaped.
    public var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

public struct QueryParameter: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Where a resource lives. Built from the type's GVR and scope plus a namespace, name and subresource.
public enum ResourcePath {
    /// `/api/v1[/namespaces/ns]/pods[/name][/sub]` or `/apis/g/v[/namespaces/ns]/res[/name][/sub]`.
    public static func path(_ gvr: GroupVersionResource, namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = gvr.group.isEmpty ? "/api/\(gvr.version)" : "/apis/\(gvr.group)/\(gvr.version)"
        if let namespace, !namespace.isEmpty { path += "/namespaces/\(segment(namespace))" }
        path += "/\(gvr.resource)"
        if let name { path += "/\(segment(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    private static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: APIRequest.unreserved.union(CharacterSet(charactersIn: ":@"))) ?? text
    }
}
