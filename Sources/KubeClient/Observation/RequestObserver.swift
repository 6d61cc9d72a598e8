import Foundation

/// Told about every request the client sends, so a process can export API latency and request
/// counts without the client depending on a metrics library. Called on the client's own tasks:
/// keep it cheap and non-blocking.
public protocol KubeRequestObserver: Sendable {
    func requestFinished(_ request: ObservedRequest)
}

/// One finished attempt at an API request. Retries are separate attempts, as in client-go's
/// `rest_client_request_duration_seconds`; the wait for the client-side rate limiter is not part
/// of `duration`.
public struct ObservedRequest: Sendable, Hashable {
    /// The HTTP method (`GET`, `POST`, `PUT`, `PATCH`, `DELETE`), or `WATCH` for a watch stream.
    public var verb: String
    /// The HTTP status code, or `<error>` when no response arrived (connection or TLS failure),
    /// client-go's label for that case.
    public var code: String
    /// From sending the request to the end of its response. For a watch stream that is how long the
    /// stream stayed open, which is why observers usually count streams instead of timing them.
    public var duration: Duration

    public init(verb: String, code: String, duration: Duration) {
        self.verb = verb
        self.code = code
        self.duration = duration
    }

    /// Whether this was a long-lived watch stream rather than a unary call.
    public var isWatch: Bool { verb == Self.watchVerb }

    /// The verb reported for watch streams.
    public static let watchVerb = "WATCH"
    /// The code reported when the request got no HTTP response.
    public static let noResponseCode = "<error>"
}
