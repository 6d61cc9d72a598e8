import Foundation

/// When and how long to wait before repeating a failed request: exponential backoff with jitter, a
/// server's `Retry-After` taking precedence, bounded both in attempts and in total waiting time.
/// A pure value: the random draw is passed in, so the schedule is testable.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (client-go stops after 10).
    public var maxRetries: Int
    public var initialDelay: TimeInterval
    public var maxDelay: TimeInterval
    public var multiplier: Double
    /// Fraction of the delay added at random: 0.5 turns 1 s into 1–1.5 s.
    public var jitter: Double
    /// No retry is started once this much time would have been spent waiting.
    public var maxTotalDelay: TimeInterval

    public init(maxRetries: Int = 10, initialDelay: TimeInterval = 0.2, maxDelay: TimeInterval = 10, multiplier: Double = 2, jitter: Double = 0.5, maxTotalDelay: TimeInterval = 60) {
        self.maxRetries = maxRetries
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
        self.jitter = jitter
        self.maxTotalDelay = maxTotalDelay
    }

    /// No retries at all.
    public static let never = RetryPolicy(maxRetries: 0)

    /// The delay before retry number `retry` (1-based), or nil when the budget is spent.
    /// - Parameters:
    ///   - retryAfter: the server's requested wait, used as is (capped by `maxDelay`·4 so a hostile
    ///     header cannot park the client).
    ///   - waitedSoFar: the sum of earlier delays.
    ///   - random: a draw in `0..<1`.
    public func delay(beforeRetry retry: Int, retryAfter: TimeInterval?, waitedSoFar: TimeInterval, random: Double) -> TimeInterval? {
        guard retry >= 1, retry <= maxRetries else { return nil }
        let delay: TimeInterval
        if let retryAfter {
            delay = min(retryAfter, maxDelay * 4)
        } else {
            delay = ExponentialBackoff(initial: initialDelay, maximum: maxDelay, multiplier: multiplier, jitter: jitter).delay(attempt: retry, random: random)
        }
        guard waitedSoFar + delay <= maxTotalDelay else { return nil }
        return delay
    }
}

/// Why a failed attempt may be repeated.
enum RetryDecision: Sendable, Hashable {
    case retry(after: TimeInterval?)
    case giveUp

    /// The retry rules: 429 for any verb (the server refused before acting); a 5xx carrying
    /// `Retry-After`, 502/503/504 and transport errors for idempotent verbs; connection failures for
    /// every verb, because the request never left. TLS and certificate failures are never retried.
    static func decide(_ error: KubeError, method: HTTPMethod) -> RetryDecision {
        switch error {
        case .tooManyRequests(_, let after):
            return .retry(after: after)
        case .serverError(let status, let after):
            guard method.isIdempotent else { return .giveUp }
            if after != nil || [502, 503, 504].contains(status.code ?? 0) { return .retry(after: after) }
            return .giveUp
        case .transport(let failure):
            // A certificate, key or trust problem is the same on every attempt: say so now.
            if failure.isPermanent { return .giveUp }
            if failure.requestNeverSent || method.isIdempotent { return .retry(after: nil) }
            return .giveUp
        default:
            return .giveUp
        }
    }
}
