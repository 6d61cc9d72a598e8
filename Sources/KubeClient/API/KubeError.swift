import Foundation
import KubeAPI

/// Every way a Kubernetes call can fail. API errors carry the server's `Status` (synthesised when the
/// body was not one, e.g. the plain-text 429 of API Priority and Fairness), so callers switch on the
/// case and still have the message and details.
public enum KubeError: Error, Sendable, CustomStringConvertible {
    /// 404: the object (or the resource type) does not exist.
    case notFound(Status)
    /// 409 AlreadyExists: create of an existing name.
    case alreadyExists(Status)
    /// 409 Conflict: stale resourceVersion, or an apply conflict (see `details.causes`).
    case conflict(Status)
    /// 422 Invalid: validation failed; `details.causes` lists the fields.
    case invalid(Status)
    /// 410 Gone/Expired: a watch or continue token too old; relist.
    case gone(Status)
    /// 429: slow down; `retryAfter` from the header or `details.retryAfterSeconds`.
    case tooManyRequests(Status, retryAfter: TimeInterval?)
    /// 401: credentials missing, wrong or expired.
    case unauthorized(Status)
    /// 403: authenticated but not allowed.
    case forbidden(Status)
    /// 400 BadRequest, 405, 406, 415 and other client mistakes.
    case badRequest(Status)
    /// 5xx (and 504 Timeout); `retryAfter` when the server gave one.
    case serverError(Status, retryAfter: TimeInterval?)
    /// The transfer failed below HTTP: libcurl's code and message.
    case transport(TransportFailure)
    /// A response body did not decode into the expected type.
    case decoding(String)
    /// The client's configuration is unusable (e.g. a token file vanished).
    case configuration(ConfigurationError)
    /// The calling task was cancelled; the transfer was stopped.
    case cancelled

    /// The server's Status; for transport, decoding and configuration errors a synthesised one.
    public var status: Status {
        switch self {
        case .notFound(let s), .alreadyExists(let s), .conflict(let s), .invalid(let s), .gone(let s),
             .tooManyRequests(let s, _), .unauthorized(let s), .forbidden(let s), .badRequest(let s), .serverError(let s, _):
            return s
        case .transport(let failure):
            return Status(message: failure.description, reason: "TransportError")
        case .decoding(let message):
            return Status(message: message, reason: "DecodingError")
        case .configuration(let error):
            return Status(message: error.message, reason: "ConfigurationError")
        case .cancelled:
            return Status(message: "cancelled", reason: "Cancelled")
        }
    }

    /// The HTTP status code, when there was a response.
    public var code: Int? {
        switch self {
        case .transport, .decoding, .configuration, .cancelled: nil
        default: status.code
        }
    }

    /// How long the server asked us to wait before retrying.
    public var retryAfter: TimeInterval? {
        switch self {
        case .tooManyRequests(_, let after), .serverError(_, let after): after
        default: nil
        }
    }

    public var description: String {
        let message = status.message ?? "(no message)"
        switch self {
        case .transport(let failure): return failure.description
        case .decoding(let text): return "cannot decode response: \(text)"
        case .configuration(let error): return error.message
        case .cancelled: return "cancelled"
        default: return "\(status.reason ?? "Error") (\(status.code.map(String.init) ?? "?")): \(message)"
        }
    }
}
