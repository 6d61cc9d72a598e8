import KubeAPI

/// Kubernetes' protobuf encoding of built-in kinds (`application/vnd.kubernetes.protobuf`) as the
/// virtual cluster reads and writes it, for tools beside it: the benchmark's create bursts, and
/// tests that send what a typed Go client sends without a Go toolchain.
public enum KubernetesProtobuf {
    public static let mediaType = ProtobufEnvelope.mediaType

    /// The enveloped message of a built-in object given as JSON (`apiVersion` and `kind` set), or nil
    /// when the kind has no protobuf schema (custom resources).
    public static func encode(_ object: JSONValue) -> [UInt8]? {
        ProtobufEnvelope.encode(object)
    }

    /// The JSON of an enveloped message, as the server reads a request body; a malformed body is the
    /// 400 the server would answer.
    public static func decode(_ body: [UInt8]) throws(APIError) -> JSONValue {
        let kind = (try? ProtobufEnvelope.unwrap(body).kind) ?? ""
        return try ProtobufEnvelope.decodeObject(body, expecting: kind)
    }
}
