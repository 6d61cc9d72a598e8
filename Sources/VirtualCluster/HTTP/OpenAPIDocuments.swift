import Crypto
import Foundation
import KubeAPI

/// The `/openapi/v3` index and per group-version documents. They carry, for every kind, the PATCH
/// operation with its `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter:
/// that is what kubectl's default `--validate=strict` looks for before relying on server-side
/// validation (kube-api-semantics.md §1.5). Schemas are not published.
struct OpenAPIDocuments {
    let registry: ResourceRegistry

    /// `api/v1`, `apis/<group>/<version>` for every served group-version.
    private var groupVersionPaths: [String] {
        registry.groups.flatMap { entry in
            entry.versions.map { entry.group.isEmpty ? "api/\($0)" : "apis/\(entry.group)/\($0)" }
        }
    }

    func index() -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for path in groupVersionPaths {
            guard let document = document(for: path) else { continue }
            paths[path] = .object(["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(Self.hash(of: document))")])
        }
        return .object(["paths": .object(paths)])
    }

    /// The document for `api/v1` or `apis/<group>/<version>`, or `nil` if not served.
    func document(for path: String) -> JSONValue? {
        let parts = path.split(separator: "/").map(String.init)
        let group: String
        let version: String
        switch (parts.first, parts.count) {
        case ("api", 2): group = ""; version = parts[1]
        case ("apis", 3): group = parts[1]; version = parts[2]
        default: return nil
        }
        let types = registry.all.filter { $0.group == group && $0.versions.contains(version) }
        guard !types.isEmpty else { return nil }
        var paths: [String: JSONValue] = [:]
        for type in types {
            let collection = Self.collectionPath(of: type, version: version)
            let gvk: JSONValue = .object(["group": .string(group), "version": .string(version), "kind": .string(type.kind)])
            paths["\(collection)/{name}"] = .object([
                "get": operation(gvk, action: "get", parameters: []),
                "put": operation(gvk, action: "put", parameters: ["dryRun", "fieldManager", "fieldValidation"]),
                "patch": operation(gvk, action: "patch", parameters: Self.patchParameters),
                "delete": operation(gvk, action: "delete", parameters: ["dryRun"]),
            ])
            paths[collection] = .object([
                "get": operation(gvk, action: "list", parameters: ["labelSelector", "fieldSelector", "limit", "continue", "watch"]),
                "post": operation(gvk, action: "post", parameters: ["dryRun", "fieldManager", "fieldValidation"]),
            ])
        }
        return .object([
            "openapi": .string("3.0.0"),
            "info": .object(["title": .string("Kubernetes"), "version": .string(VersionInfo.gitVersion)]),
            "paths": .object(paths),
            "components": .object(["schemas": .object([:])]),
        ])
    }

    /// The query parameters of a PATCH, `fieldValidation` among them (what kubectl's validator looks for).
    static let patchParameters = ["dryRun", "fieldManager", "fieldValidation", "force"]

    /// `/api/v1/namespaces/{namespace}/pods`, `/apis/<group>/<version>/<plural>` for cluster-scoped kinds.
    static func collectionPath(of type: ResourceType, version: String) -> String {
        let prefix = type.group.isEmpty ? "/api/\(version)" : "/apis/\(type.group)/\(version)"
        return type.namespaced ? "\(prefix)/namespaces/{namespace}/\(type.plural)" : "\(prefix)/\(type.plural)"
    }

    private func operation(_ gvk: JSONValue, action: String, parameters: [String]) -> JSONValue {
        .object([
            "x-kubernetes-action": .string(action),
            "x-kubernetes-group-version-kind": gvk,
            "parameters": .array(parameters.map { .object(["name": .string($0), "in": .string("query"), "schema": .object(["type": .string("string")])]) }),
            "responses": .object(["200": .object(["description": .string("OK")])]),
        ])
    }

    static func hash(of document: JSONValue) -> String {
        SHA256.hash(data: Data(document.jsonText.utf8)).prefix(16).map { String(format: "%02X", $0) }.joined()
    }
}

/// What `/version` reports: the Kubernetes release the virtual cluster imitates.
enum VersionInfo {
    static let major = "1"
    static let minor = "32"
    static let gitVersion = "v1.32.4-fleetcast"

    static var document: JSONValue {
        .object(["major": .string(major), "minor": .string(minor), "gitVersion": .string(gitVersion),
                 "gitCommit": .string("fleetcast"), "gitTreeState": .string("clean"), "buildDate": .string("2026-01-01T00:00:00Z"),
                 "goVersion": .string("swift"), "compiler": .string("swiftc"), "platform": .string("linux/amd64")])
    }
}
