import Foundation
import KubeAPI
import Yams

/// A manifest that could not be applied, naming the file and document.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based index of the YAML document in the file.
    public var document: Int
    public var message: String

    public var description: String { "\(file): document \(document): \(message)" }
}

/// Applies multi-document YAML manifests straight into the store (create, or replace when the
/// object exists), through the same preparation and validation as API requests.
struct ManifestLoader {
    let api: ClusterAPI

    func apply(yaml text: String, file: String) async throws {
        let documents: [Any]
        do {
            documents = Array(try Yams.load_all(yaml: text))
        } catch {
            throw ManifestError(file: file, document: 1, message: "invalid YAML: \(error)")
        }
        for (index, document) in documents.enumerated() {
            let object = Self.json(from: document)
            if case .null = object { continue }
            guard case .object = object else {
                throw ManifestError(file: file, document: index + 1, message: "a manifest document must be a mapping")
            }
            do {
                try apply(object)
            } catch {
                throw ManifestError(file: file, document: index + 1, message: error.status.message ?? "error \(error.code)")
            }
        }
    }

    private func apply(_ object: JSONValue) throws(APIError) {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else {
            throw APIError.badRequest("apiVersion and kind are required")
        }
        let parts = apiVersion.split(separator: "/").map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        let version = parts.last ?? ""
        guard let type = api.registry.all.first(where: { $0.group == group && $0.kind == kind && $0.versions.contains(version) }) else {
            throw APIError.badRequest("no resource serves \(kind) in \(apiVersion)")
        }
        let namespace = type.namespaced ? (object.namespace ?? "default") : nil
        let target = ResourceTarget(type: type, version: version, namespace: namespace, name: object.name, subresource: nil)
        let request = APIRequest(method: "POST", path: "", query: ["fieldValidation": "Strict"], accept: "", contentType: "application/json",
                                 body: Data(), user: "admin")
        if let name = object.name, api.store.get(type.key, namespace: namespace ?? "", name: name) != nil {
            _ = try api.replace(target, request: request) { current throws(APIError) in
                var replacement = object
                replacement.setMetadata("resourceVersion", current.value(at: ["metadata", "resourceVersion"]))
                return replacement
            }
        } else {
            var creation = target
            creation.name = nil
            _ = try api.createObject(object, request: request, target: creation)
        }
    }

    /// Converts what Yams loads into a JSON value.
    static func json(from value: Any) -> JSONValue {
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .int(Int64(number))
        case let number as Double: return .double(number)
        case let list as [Any]: return .array(list.map(json(from:)))
        case let map as [String: Any]: return .object(map.mapValues(json(from:)))
        case let map as [AnyHashable: Any]:
            return .object(Dictionary(map.map { ("\($0.key)", json(from: $0.value)) }, uniquingKeysWith: { first, _ in first }))
        default: return .null
        }
    }
}
