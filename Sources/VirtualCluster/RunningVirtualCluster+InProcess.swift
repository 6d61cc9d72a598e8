import Foundation
import KubeAPI

/// In-process access to the API, for simulated controllers that live beside the server (the GPU
/// infrastructure, the scheduler, workload replay). Requests take the same path as HTTP requests —
/// routing, validation, defaulting, subresources, watch events — minus transport and authentication,
/// so what the controllers write is exactly what a client would see, without a socket per call.
extension RunningVirtualCluster {
    /// Serves one non-watch request as the `admin` user and returns the response body (JSON).
    /// A failure answers the `APIError` the server would have sent as a `Status`. `contentType`
    /// defaults to JSON (merge patch for PATCH); `KubernetesProtobuf.mediaType` sends a protobuf body.
    public func serve(method: String, path: String, query: [String: String] = [:], body: Data = Data(),
                      contentType: String? = nil) async throws(APIError) -> Data {
        let request = APIRequest(method: method, path: path, query: query, accept: "application/json",
                                 contentType: contentType ?? (method == "PATCH" ? "application/merge-patch+json" : "application/json"),
                                 body: body, user: "admin")
        let response = await api.handle(request)
        let text: String
        switch response.body {
        case .text(let body): text = body
        case .bytes(let body): return Data(body)
        case .watch: throw APIError.badRequest("watch requests are not served in-process")
        }
        guard response.code < 400 else {
            let status = (try? JSONDecoder().decode(Status.self, from: Data(text.utf8)))
                ?? Status(status: "Failure", message: text, reason: nil, details: nil, code: response.code)
            throw APIError(status: status, headers: response.headers, plainTextBody: nil)
        }
        return Data(text.utf8)
    }
}
