import Foundation
import KubeAPI

/// The per-resource rules applied before a write reaches the store (the apiserver's "strategy"):
/// server-owned metadata, the status/spec split, generation, finalizer rules and validation.
struct ObjectPreparation {
    var type: ResourceType
    var version: String
    var fieldValidation: FieldValidation
    var now: Date

    static let serverOwnedMetadata = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                                      "generation", "resourceVersion", "managedFields", "selfLink"]

    /// A new object as the store should keep it, with warnings for the response.
    func forCreate(_ body: JSONValue, namespace: String?) throws(APIError) -> (object: JSONValue, warnings: [String]) {
        guard case .object = body else { throw APIError.badRequest("the request body must be a JSON object") }
        var object = try checkedTypeMeta(body)
        for key in Self.serverOwnedMetadata { object.setMetadata(key, nil) }
        if type.namespaced {
            if let declared = object.namespace, !declared.isEmpty, declared != namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object.setMetadata("namespace", namespace.map(JSONValue.string))
        } else {
            object.setMetadata("namespace", nil)
        }
        if object.name == nil || object.name == "" {
            guard let prefix = object.metadata["generateName"]?.stringValue, !prefix.isEmpty else {
                throw APIError.invalid(kind: type.kind, group: type.group, name: "",
                                       errors: [.required("metadata.name", "name or generateName is required")])
            }
            object.setMetadata("name", .string(prefix + Self.randomSuffix()))
        }
        if type.hasStatusSubresource && !type.keepsStatusOnCreate { object.setValue(nil, at: ["status"]) }
        if type.generation == .nonMetadataChanges { object.setMetadata("generation", .int(1)) }
        if type.key == ResourceKey(group: "", resource: "pods"), object.value(at: ["status", "phase"]) == nil {
            object.setValue(.string("Pending"), at: ["status", "phase"])
        }
        if type.key == ResourceKey(group: "", resource: "pods") { object = PodValidation.defaultRequests(object) }
        if type.key == SecretData.key { object = try SecretData.normalized(object) }
        object = BatchDefaults.defaulted(object, type: type)
        var warnings: [String] = []
        if type.isCustom {
            (object, warnings) = try CustomObjectSchema.admit(object, type: type, version: version, fieldValidation: fieldValidation)
        }
        try validate(object)
        if type.key == ResourceKey(group: "apiextensions.k8s.io", resource: "customresourcedefinitions") {
            object.setValue(CustomResourceDefinitions.establishedStatus(for: object, at: Timestamps.seconds(now)), at: ["status"])
        }
        return (object, warnings)
    }

    /// The object to store for a write of `body` over `old`, through the main resource or `/status`.
    func forUpdate(_ body: JSONValue, old: JSONValue, toStatus: Bool) throws(APIError) -> (object: JSONValue, warnings: [String]) {
        guard case .object = body else { throw APIError.badRequest("the request body must be a JSON object") }
        var object = try checkedTypeMeta(body)
        if toStatus {
            object = old.replacingStatus(with: body["status"])
        } else {
            for key in Self.serverOwnedMetadata where key != "resourceVersion" {
                object.setMetadata(key, old.metadata[key])
            }
            object.setMetadata("namespace", old.metadata["namespace"])
            if type.hasStatusSubresource { object = object.replacingStatus(with: old["status"]) }
            if type.key == SecretData.key { object = try SecretData.normalized(object) }
            if old.isBeingDeleted {
                let added = Set(object.finalizers).subtracting(old.finalizers)
                if !added.isEmpty {
                    throw APIError.invalid(kind: type.kind, group: type.group, name: old.name ?? "",
                                           errors: [.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers \(added.sorted())")])
                }
            }
        }
        if !toStatus { object = BatchDefaults.defaulted(object, type: type) }
        var warnings: [String] = []
        if type.isCustom {
            (object, warnings) = try CustomObjectSchema.admit(object, type: type, version: version, fieldValidation: fieldValidation)
        }
        if type.generation == .nonMetadataChanges, Self.desiredState(of: object, type: type) != Self.desiredState(of: old, type: type) {
            object.setMetadata("generation", .int((old.metadata["generation"]?.intValue ?? 0) + 1))
        }
        try validate(object)
        return (object, warnings)
    }

    /// Everything that counts for `generation`: the object minus metadata (and status when split).
    static func desiredState(of object: JSONValue, type: ResourceType) -> JSONValue {
        var copy = object
        copy.setValue(nil, at: ["metadata"])
        copy.setValue(nil, at: ["apiVersion"])
        copy.setValue(nil, at: ["kind"])
        if type.hasStatusSubresource { copy.setValue(nil, at: ["status"]) }
        return copy
    }

    private func checkedTypeMeta(_ body: JSONValue) throws(APIError) -> JSONValue {
        var object = body
        let expected = type.apiVersion(for: version)
        if let apiVersion = body["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != expected {
            throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(expected))")
        }
        if let kind = body["kind"]?.stringValue, !kind.isEmpty, kind != type.kind {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(type.kind))")
        }
        object.setValue(.string(expected), at: ["apiVersion"])
        object.setValue(.string(type.kind), at: ["kind"])
        return object
    }

    private func validate(_ object: JSONValue) throws(APIError) {
        var errors: [FieldError] = []
        let name = object.name ?? ""
        if !NameValidation.isDNSSubdomain(name) {
            errors.append(.invalid("metadata.name", .string(name), NameValidation.subdomainMessage))
        }
        if type.key == ResourceKey(group: "apiextensions.k8s.io", resource: "customresourcedefinitions") {
            errors += CustomResourceDefinitions.validate(object)
        }
        if type.key == ResourceKey(group: "", resource: "pods") {
            errors += PodValidation.validate(object)
        }
        if !errors.isEmpty {
            throw APIError.invalid(kind: type.kind, group: type.group, name: name, errors: errors)
        }
    }

    private static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}

extension JSONValue {
    func replacingStatus(with status: JSONValue?) -> JSONValue {
        var copy = self
        copy.setValue(status, at: ["status"])
        return copy
    }
}

/// RFC 1123 subdomain names, as `metadata.name` requires for most kinds.
enum NameValidation {
    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    static func isDNSSubdomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            let allowed = label.allSatisfy { ($0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII) || $0 == "-" }
            return allowed && first != "-" && last != "-"
        }
    }
}
