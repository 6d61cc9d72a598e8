import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension TestCluster {
    struct BinaryReply {
        var code: Int
        var contentType: String
        var data: Data

        /// The body as JSON: read from protobuf when the server answered in it.
        func object() throws -> JSONValue {
            if contentType == ProtobufEnvelope.mediaType {
                let unwrapped = try ProtobufEnvelope.unwrap(Array(data))
                let message = try #require(ProtobufSchema.builtin.message(apiVersion: unwrapped.apiVersion, kind: unwrapped.kind)
                    ?? (unwrapped.kind == "Status" ? ProtobufSchema.builtin.messages["k8s.io.apimachinery.pkg.apis.meta.v1.Status"] : nil))
                var object = try ProtobufObjectReader().read(unwrapped.raw, as: message)
                object.setValue(.string(unwrapped.apiVersion), at: ["apiVersion"])
                object.setValue(.string(unwrapped.kind), at: ["kind"])
                return object
            }
            return try JSONDecoder().decode(JSONValue.self, from: data)
        }
    }

    /// A request with a binary body (protobuf) and the raw answer.
    func send(_ method: String, _ path: String, body: [UInt8]? = nil,
              contentType: String = ProtobufEnvelope.mediaType,
              accept: String = "application/vnd.kubernetes.protobuf,application/json") async throws -> BinaryReply {
        let base = try #require(cluster.httpURL)
        var request = URLRequest(url: try #require(URL(string: base.absoluteString + path)))
        request.httpMethod = method
        request.setValue("Bearer \(cluster.adminToken)", forHTTPHeaderField: "Authorization")
        request.setValue(accept, forHTTPHeaderField: "Accept")
        if let body {
            request.httpBody = Data(body)
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        request.timeoutInterval = 60
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return BinaryReply(code: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type") ?? "", data: data)
    }
}

/// A protobuf body for `object` (its JSON form), written by the virtual cluster's own writer.
func protobufBody(_ json: String) throws -> [UInt8] {
    let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    return try #require(ProtobufEnvelope.encode(object), "no built-in schema for \(json)")
}

/// The golden fixtures captured from kubectl (hack/protobuf/capture-kubectl-bodies.py).
let protobufFixtures = packageRoot.appendingPathComponent("Tests/VirtualClusterTests/Fixtures/protobuf")
