import Foundation
import KubeAPI

/// `application/vnd.kubernetes.protobuf` at the API's edge (issue #14): typed Go clients (kubectl
/// 1.32+ `create`, controller-runtime, Helm's storage) send built-in kinds in it and ask for it
/// first in `Accept`. Bodies become JSON before any route sees them and answers become protobuf
/// after, so the store, patches, validation and watch stay JSON-only, as they are for CRDs.
extension APIRequest {
    var isProtobuf: Bool { mediaType == ProtobufEnvelope.mediaType }

    /// Whether the first media range in `Accept` is plain protobuf (not a Table, not a watch stream):
    /// the real server answers in the client's first acceptable type.
    var prefersProtobuf: Bool {
        guard let first = accept.split(separator: ",").first else { return false }
        let parts = first.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return parts.first == ProtobufEnvelope.mediaType && parts.dropFirst().allSatisfy { $0.hasPrefix("q=") }
    }

    /// The request body of an object (or options) of `kind` sent to `target`, as JSON. Protobuf is
    /// read for built-in kinds and for the built-in bodies every resource takes (`DeleteOptions`,
    /// `Scale`, which the real server decodes with its own codecs for custom resources too); a
    /// protobuf custom object is answered 415, as kube-apiserver's CRD handler does.
    func objectBody(_ target: ResourceTarget, kind: String? = nil) throws(APIError) -> JSONValue {
        guard isProtobuf else { return try jsonBody() }
        let kind = kind ?? target.type.kind
        guard !target.type.isCustom || kind != target.type.kind else {
            throw APIError.unsupportedMediaType(mediaType, accepted: ["application/json", "application/yaml"])
        }
        return try ProtobufEnvelope.decodeObject(Array(body), expecting: kind)
    }
}

extension APIResponse {
    /// This JSON answer as protobuf, for a client that asked for it first, when the object is a
    /// built-in kind (lists and `Status` included). Anything else is returned unchanged: custom
    /// resources, Tables, watch streams and non-JSON bodies.
    func negotiated(for request: APIRequest) -> APIResponse {
        guard request.prefersProtobuf, case .text(let text) = body, contentType == "application/json",
              let object = try? JSONValue.parse(Data(text.utf8)), let bytes = ProtobufEnvelope.encode(object) else {
            return self
        }
        var response = self
        response.contentType = ProtobufEnvelope.mediaType
        response.body = .bytes(bytes)
        return response
    }
}
