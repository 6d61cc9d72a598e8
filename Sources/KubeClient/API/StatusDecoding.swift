import Foundation
import KubeAPI

extension KubeError {
    /// Builds the typed error for a non-2xx response. The body is read as a `Status` only when it is
    /// JSON; otherwise (plain-text 429s, proxies' HTML) a Status is synthesised from the code and text.
    /// The `reason` decides the case when present, the HTTP code otherwise.
    public init(statusCode: Int, headers: [String: String], body: Data) {
        var status: Status
        let contentType = headers["content-type"]?.lowercased() ?? ""
        if contentType.contains("json"), var decoded = try? JSONDecoder().decode(Status.self, from: body), decoded.kind == "Status" {
            if decoded.code == nil { decoded.code = statusCode }
            status = decoded
        } else {
            let text = String(decoding: body.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            status = Status(message: text.isEmpty ? HTTPStatusText.reason(for: statusCode) : text, reason: HTTPStatusText.reason(for: statusCode), code: statusCode)
        }
        if status.code == nil { status.code = statusCode }
        let retryAfter = RetryAfter.parse(headers["retry-after"]) ?? status.details?.retryAfterSeconds.map(TimeInterval.init)
        self = Self.classify(status: status, httpCode: statusCode, retryAfter: retryAfter)
    }

    /// An in-stream watch `ERROR` event carries a Status with its own code.
    public init(watchStatus status: Status) {
        self = Self.classify(status: status, httpCode: status.code ?? 500, retryAfter: status.details?.retryAfterSeconds.map(TimeInterval.init))
    }

    static func classify(status: Status, httpCode: Int, retryAfter: TimeInterval?) -> KubeError {
        switch status.reason {
        case "NotFound": return .notFound(status)
        case "AlreadyExists": return .alreadyExists(status)
        case "Conflict": return .conflict(status)
        case "Invalid": return .invalid(status)
        case "Gone", "Expired": return .gone(status)
        case "TooManyRequests": return .tooManyRequests(status, retryAfter: retryAfter)
        case "Unauthorized": return .unauthorized(status)
        case "Forbidden": return .forbidden(status)
        case "BadRequest", "MethodNotAllowed", "NotAcceptable", "UnsupportedMediaType", "RequestEntityTooLarge": return .badRequest(status)
        case "InternalError", "ServiceUnavailable", "Timeout", "ServerTimeout": return .serverError(status, retryAfter: retryAfter)
        default: break
        }
        switch httpCode {
        case 404: return .notFound(status)
        case 409: return .conflict(status)
        case 410: return .gone(status)
        case 422: return .invalid(status)
        case 429: return .tooManyRequests(status, retryAfter: retryAfter)
        case 401: return .unauthorized(status)
        case 403: return .forbidden(status)
        case 500...: return .serverError(status, retryAfter: retryAfter)
        default: return .badRequest(status)
        }
    }
}

/// The `Retry-After` header in its delay-seconds form (the API server never sends an HTTP date).
enum RetryAfter {
    static func parse(_ header: String?) -> TimeInterval? {
        guard let header, let seconds = Double(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return seconds
    }
}

/// The reason strings the API server uses for bare HTTP codes.
enum HTTPStatusText {
    static func reason(for code: Int) -> String {
        switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 405: "MethodNotAllowed"
        case 409: "Conflict"
        case 410: "Gone"
        case 415: "UnsupportedMediaType"
        case 422: "Invalid"
        case 429: "TooManyRequests"
        case 503: "ServiceUnavailable"
        case 504: "Timeout"
        case 500...: "InternalError"
        default: "Unknown"
        }
    }
}
