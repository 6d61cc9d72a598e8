import Foundation
import KubeClient

/// Why a Prometheus request failed, in the API's own terms: Prometheus answers every failed query
/// with `{"status":"error","errorType":…,"error":…}`, and that text (a PromQL parse error, an
/// execution timeout) is what a user needs to see in the pool's condition.
public enum PrometheusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Prometheus answered with an error: its `errorType` (`bad_data`, `execution`, `timeout`,
    /// `canceled`, `internal`, `unavailable`, …), its message and the HTTP status.
    case api(errorType: String, message: String, httpStatus: Int)
    /// No answer: the connection failed or the request ran past the timeout (libcurl's message).
    case unavailable(String)
    /// The request ran past `--prometheus-timeout`.
    case timedOut(String)
    /// The answer was not the JSON the API documents.
    case decoding(String)
    /// The flags do not make a usable client.
    case configuration(String)
    case cancelled

    public var description: String {
        switch self {
        case .api(let type, let message, let status): "Prometheus error \(type) (HTTP \(status)): \(message)"
        case .unavailable(let message): "Prometheus unavailable: \(message)"
        case .timedOut(let message): "Prometheus did not answer in time: \(message)"
        case .decoding(let message): "cannot decode the Prometheus response: \(message)"
        case .configuration(let message): message
        case .cancelled: "cancelled"
        }
    }

    /// The client's error in Prometheus's terms. Non-2xx bodies are Prometheus's error JSON; the
    /// Kubernetes client keeps them as the synthesised Status message (the first KiB of the body).
    init(_ error: KubeError) {
        switch error {
        case .transport(let failure):
            // CURLE_OPERATION_TIMEDOUT (28).
            self = failure.code == 28 ? .timedOut(failure.message) : .unavailable(failure.message)
        case .decoding(let message): self = .decoding(message)
        case .configuration(let problem): self = .configuration(problem.message)
        case .cancelled: self = .cancelled
        default:
            let status = error.status
            let code = status.code ?? error.code ?? 0
            self = Self.apiError(body: status.message ?? "", httpStatus: code)
        }
    }

    /// Reads `{"status":"error","errorType":"bad_data","error":"…"}`; a body that is not one (a proxy's
    /// HTML, a truncated message) is kept as text under the HTTP status.
    static func apiError(body: String, httpStatus: Int) -> PrometheusError {
        struct Envelope: Decodable { var status: String?; var errorType: String?; var error: String? }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(body.utf8)), let message = envelope.error {
            return .api(errorType: envelope.errorType ?? "unknown", message: message, httpStatus: httpStatus)
        }
        // Truncated JSON: take what follows `"error":"` up to the closing quote, if any.
        if let range = body.range(of: #""error":""#) {
            let rest = body[range.upperBound...]
            let message = rest.firstIndex(of: "\"").map { String(rest[..<$0]) } ?? String(rest)
            let type = body.range(of: #""errorType":""#).flatMap { typeRange -> String? in
                let tail = body[typeRange.upperBound...]
                return tail.firstIndex(of: "\"").map { String(tail[..<$0]) }
            }
            return .api(errorType: type ?? "unknown", message: message, httpStatus: httpStatus)
        }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return .api(errorType: "http_\(httpStatus)", message: text.isEmpty ? "HTTP \(httpStatus)" : String(text.prefix(512)), httpStatus: httpStatus)
    }
}
