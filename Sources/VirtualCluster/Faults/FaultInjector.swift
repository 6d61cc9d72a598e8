import Foundation
import KubeAPI
import Synchronization

/// Which requests a fault applies to. Empty fields match everything.
public struct RequestMatch: Sendable, Hashable, Codable {
    public var method: String?
    /// A substring of the request path, e.g. `/machinedeployments/`.
    public var pathContains: String?

    public init(method: String? = nil, pathContains: String? = nil) {
        self.method = method
        self.pathContains = pathContains
    }

    func matches(method requestMethod: String, path: String) -> Bool {
        (method.map { $0.uppercased() == requestMethod } ?? true) && (pathContains.map { path.contains($0) } ?? true)
    }
}

/// Failures injected into a running cluster, so clients' retry, backoff, re-list and re-watch paths
/// can be tested against real HTTP. Used programmatically and through the admin endpoint
/// `POST /fleetcast.dev/admin/faults` (docs/virtual-cluster.md).
public final class FaultInjector: Sendable {
    private struct Failure: Sendable {
        var match: RequestMatch
        var code: Int
        var retryAfterSeconds: Int?
        var remaining: Int
    }

    private struct Delay: Sendable {
        var match: RequestMatch
        var latency: Duration
    }

    private struct State: Sendable {
        var failures: [Failure] = []
        var delays: [Delay] = []
        /// Requests that a delay rule held back so far (tests wait on it to know a request is in flight).
        var delayedRequests = 0
    }

    private let state = Mutex(State())
    /// Installed by the running cluster: closes the listeners for a while.
    let connectionRefuser = Mutex<(@Sendable (Duration) -> Void)?>(nil)

    init() {}

    /// Answers the next `times` matching requests with `code` (500, 503, 429…); a `retryAfterSeconds`
    /// adds the `Retry-After` header. 429 uses the real server's plain-text body.
    public func fail(_ match: RequestMatch = RequestMatch(), code: Int, times: Int = 1, retryAfterSeconds: Int? = nil) {
        state.withLock { $0.failures.append(Failure(match: match, code: code, retryAfterSeconds: retryAfterSeconds, remaining: times)) }
    }

    /// Delays every matching request by `latency` until `clear()`.
    public func addLatency(_ latency: Duration, to match: RequestMatch = RequestMatch()) {
        state.withLock { $0.delays.append(Delay(match: match, latency: latency)) }
    }

    /// Removes every failure and delay rule.
    public func clear() {
        state.withLock { state in
            let delayed = state.delayedRequests
            state = State()
            state.delayedRequests = delayed
        }
    }

    /// How many requests a delay rule has held back, so a test can tell that one is in flight.
    var delayedRequestCount: Int { state.withLock { $0.delayedRequests } }

    /// The delay and failure (if any) for this request; a failure's count is consumed.
    func intercept(method: String, path: String) -> (delay: Duration, failure: APIError?) {
        state.withLock { state in
            let delay = state.delays.filter { $0.match.matches(method: method, path: path) }.map(\.latency).reduce(.zero, +)
            if delay > .zero { state.delayedRequests += 1 }
            guard let index = state.failures.firstIndex(where: { $0.match.matches(method: method, path: path) && $0.remaining > 0 }) else {
                return (delay, nil)
            }
            state.failures[index].remaining -= 1
            let failure = state.failures[index]
            if failure.remaining == 0 { state.failures.remove(at: index) }
            return (delay, Self.error(code: failure.code, retryAfter: failure.retryAfterSeconds))
        }
    }

    private static func error(code: Int, retryAfter: Int?) -> APIError {
        var error: APIError
        switch code {
        case 429:
            error = APIError(code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.")
            error.plainTextBody = "Too many requests, please try again later.\n"
        case 503:
            error = APIError(code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request")
        case 504:
            error = APIError(code: 504, reason: "Timeout", message: "the server was unable to return a response in the time allotted")
        default:
            error = APIError(code: code, reason: "InternalError", message: "Internal error occurred: injected fault")
        }
        if let retryAfter {
            error.headers["Retry-After"] = String(retryAfter)
            error.status.details = StatusDetails(retryAfterSeconds: retryAfter)
        }
        return error
    }
}
