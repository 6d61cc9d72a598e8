import Hummingbird
import Logging

/// Puts every request of a router behind a `DelegatedAccessReviewer`: 401 without a token the API
/// server accepts, 403 for a user it does not authorize for `get <path>` (the verb is the lowercased
/// HTTP method, as kube-apiserver derives it for non-resource URLs), 500 when it cannot be asked.
public struct AccessReviewMiddleware<Context: RequestContext>: RouterMiddleware {
    let reviewer: DelegatedAccessReviewer

    public init(reviewer: DelegatedAccessReviewer) {
        self.reviewer = reviewer
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let verb = request.method == .head ? "get" : request.method.rawValue.lowercased()
        switch await reviewer.review(authorization: request.headers[.authorization], path: request.uri.path, verb: verb) {
        case .allowed:
            return try await next(request, context)
        case .unauthenticated:
            return Self.plain(.unauthorized, "Unauthorized\n")
        case .forbidden(let user):
            return Self.plain(.forbidden, "Forbidden (user=\(user), verb=\(verb), resource=, subresource=)\n")
        case .reviewFailed(let reason):
            context.logger.error("Cannot review access to the metrics endpoint", metadata: ["error": "\(reason)"])
            return Self.plain(.internalServerError, "Internal Server Error\n")
        }
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
