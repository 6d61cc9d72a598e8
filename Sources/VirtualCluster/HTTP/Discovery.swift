import Foundation
import KubeAPI

/// Discovery documents: aggregated (`apidiscovery.k8s.io/v2`, chosen only when the client asks for
/// it, with the exact content type client-go keys on) and legacy (APIVersions, APIGroupList,
/// APIResourceList) for other clients. kube-api-semantics.md §1.
struct Discovery {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    let registry: ResourceRegistry
    let serverAddress: String

    static func wantsAggregated(_ accept: String) -> Bool {
        accept.split(separator: ",").contains { part in
            let parameters = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return parameters.contains("as=APIGroupDiscoveryList") && parameters.contains("v=v2") && parameters.contains("g=apidiscovery.k8s.io")
        }
    }

    /// `/api` (core only) or `/apis` (every named group) in aggregated form.
    func aggregated(core: Bool) -> JSONValue {
        let items: [JSONValue] = registry.groups.filter { $0.group.isEmpty == core }.map { entry in
            let versions: [JSONValue] = entry.versions.map { version in
                let resources = registry.all.filter { $0.group == entry.group && $0.versions.contains(version) }
                    .map { aggregatedResource($0, version: version) }
                return .object(["version": .string(version), "resources": .array(resources), "freshness": .string("Current")])
            }
            return .object(["metadata": .object(["name": .string(entry.group)]), "versions": .array(versions)])
        }
        return .object(["kind": .string("APIGroupDiscoveryList"), "apiVersion": .string("apidiscovery.k8s.io/v2"),
                        "metadata": .object([:]), "items": .array(items)])
    }

    private func aggregatedResource(_ type: ResourceType, version: String) -> JSONValue {
        let responseKind: JSONValue = .object(["group": .string(type.group), "version": .string(version), "kind": .string(type.kind)])
        var subresources: [JSONValue] = []
        if type.scale != nil {
            subresources.append(.object(["subresource": .string("scale"), "verbs": strings(["get", "patch", "update"]),
                                         "responseKind": .object(["group": .string("autoscaling"), "version": .string("v1"), "kind": .string("Scale")])]))
        }
        if type.hasStatusSubresource {
            subresources.append(.object(["subresource": .string("status"), "verbs": strings(["get", "patch", "update"]),
                                         "responseKind": responseKind]))
        }
        if type.subresourceNames.contains("token") {
            subresources.append(.object(["subresource": .string("token"), "verbs": strings(["create"]),
                                         "responseKind": .object(["group": .string("authentication.k8s.io"), "version": .string("v1"),
                                                                  "kind": .string("TokenRequest")])]))
        }
        var resource: [String: JSONValue] = [
            "resource": .string(type.plural), "responseKind": responseKind,
            "scope": .string(type.namespaced ? "Namespaced" : "Cluster"), "singularResource": .string(type.singular),
            "verbs": strings(type.verbs), "subresources": .array(subresources),
        ]
        if !type.shortNames.isEmpty { resource["shortNames"] = strings(type.shortNames) }
        if !type.categories.isEmpty { resource["categories"] = strings(type.categories) }
        return .object(resource)
    }

    /// Legacy `/api`.
    func apiVersions() -> JSONValue {
        .object(["kind": .string("APIVersions"), "versions": strings(["v1"]),
                 "serverAddressByClientCIDRs": .array([.object(["clientCIDR": .string("0.0.0.0/0"), "serverAddress": .string(serverAddress)])])])
    }

    /// Legacy `/apis`.
    func apiGroupList() -> JSONValue {
        .object(["kind": .string("APIGroupList"), "apiVersion": .string("v1"),
                 "groups": .array(registry.groups.filter { !$0.group.isEmpty }.map { apiGroup($0.group, versions: $0.versions) })])
    }

    /// Legacy `/apis/<group>`, or `nil` if the group is not served.
    func apiGroup(named group: String) -> JSONValue? {
        guard let entry = registry.groups.first(where: { $0.group == group && !group.isEmpty }) else { return nil }
        return apiGroup(entry.group, versions: entry.versions)
    }

    private func apiGroup(_ group: String, versions: [String]) -> JSONValue {
        let entries: [JSONValue] = versions.map { .object(["groupVersion": .string("\(group)/\($0)"), "version": .string($0)]) }
        var result: [String: JSONValue] = ["name": .string(group), "versions": .array(entries)]
        if let preferred = entries.first { result["preferredVersion"] = preferred }
        result["kind"] = .string("APIGroup")
        result["apiVersion"] = .string("v1")
        return .object(result)
    }

    /// Legacy `/api/v1` or `/apis/<group>/<version>`, or `nil` if not served.
    func resourceList(group: String, version: String) -> JSONValue? {
        let types = registry.all.filter { $0.group == group && $0.versions.contains(version) }
        guard !types.isEmpty else { return nil }
        var resources: [JSONValue] = []
        for type in types {
            var main: [String: JSONValue] = ["name": .string(type.plural), "singularName": .string(type.singular),
                                             "namespaced": .bool(type.namespaced), "kind": .string(type.kind), "verbs": strings(type.verbs)]
            if !type.shortNames.isEmpty { main["shortNames"] = strings(type.shortNames) }
            if !type.categories.isEmpty { main["categories"] = strings(type.categories) }
            resources.append(.object(main))
            if type.scale != nil {
                resources.append(.object(["name": .string("\(type.plural)/scale"), "singularName": .string(""), "namespaced": .bool(type.namespaced),
                                          "group": .string("autoscaling"), "version": .string("v1"), "kind": .string("Scale"),
                                          "verbs": strings(["get", "patch", "update"])]))
            }
            if type.hasStatusSubresource {
                resources.append(.object(["name": .string("\(type.plural)/status"), "singularName": .string(""), "namespaced": .bool(type.namespaced),
                                          "kind": .string(type.kind), "verbs": strings(["get", "patch", "update"])]))
            }
        }
        return .object(["kind": .string("APIResourceList"), "apiVersion": .string("v1"),
                        "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(resources)])
    }

    private func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}
