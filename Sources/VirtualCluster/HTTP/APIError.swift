import KubeAPI

/// An error answered as a Kubernetes `Status` with the same code, reason, message and details the
/// real API server uses (kube-api-semantics.md §3), so clients can be tested against its shapes.
public struct APIError: Error, Sendable, Hashable {
    public var status: Status
    /// Extra response headers (e.g. `Retry-After`).
    public var headers: [String: String] = [:]
    /// A plain-text body instead of a `Status` (the real server's 429 from priority and fairness).
    public var plainTextBody: String?

    public var code: Int { status.code ?? 500 }

    /// An error carrying a `Status` as answered by the API (the in-process `serve` path rethrows these).
    public init(status: Status, headers: [String: String] = [:], plainTextBody: String? = nil) {
        self.status = status
        self.headers = headers
        self.plainTextBody = plainTextBody
    }

    init(code: Int, reason: String?, message: String, details: StatusDetails? = nil) {
        status = Status(status: "Failure", message: message, reason: reason, details: details, code: code)
    }

    /// `<resource>[.<group>]`, the qualified resource name every message uses.
    static func qualified(_ resource: String, _ group: String) -> String {
        group.isEmpty ? resource : "\(resource).\(group)"
    }

    static func notFound(resource: String, group: String, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(qualified(resource, group)) \"\(name)\" not found",
                 details: StatusDetails(name: name, group: group, kind: resource))
    }

    static let unknownPath = APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource",
                                      details: StatusDetails())

    static func alreadyExists(resource: String, group: String, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(qualified(resource, group)) \"\(name)\" already exists",
                 details: StatusDetails(name: name, group: group, kind: resource))
    }

    static func conflict(resource: String, group: String, name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(qualified(resource, group)) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                 details: StatusDetails(name: name, group: group, kind: resource))
    }

    static func conflict(resource: String, group: String, name: String, message: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(qualified(resource, group)) \"\(name)\": \(message)",
                 details: StatusDetails(name: name, group: group, kind: resource))
    }

    /// 422 Invalid: `<Kind>[.<group>] "<name>" is invalid: <field>: <detail>, …`.
    static func invalid(kind: String, group: String, name: String, errors: [FieldError]) -> APIError {
        let summary: String
        if errors.count == 1 {
            summary = errors[0].description
        } else {
            summary = "[" + errors.map(\.description).joined(separator: ", ") + "]"
        }
        let causes = errors.map(\.statusCause)
        return APIError(code: 422, reason: "Invalid", message: "\(qualified(kind, group)) \"\(name)\" is invalid: \(summary)",
                        details: StatusDetails(name: name, group: group, kind: kind, causes: causes))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static func methodNotAllowed(_ method: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource",
                 details: StatusDetails())
    }

    static func unsupportedMediaType(_ contentType: String, accepted: [String]) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: \(accepted.joined(separator: ", "))")
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                 details: StatusDetails(causes: [StatusCause(message: message)]))
    }
}
