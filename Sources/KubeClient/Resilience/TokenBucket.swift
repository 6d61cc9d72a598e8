import Foundation

/// Client-side rate limit settings, as client-go's `QPS` and `Burst`.
public struct RateLimit: Sendable, Hashable {
    public var requestsPerSecond: Double
    public var burst: Int

    public init(requestsPerSecond: Double, burst: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = max(1, burst)
    }

    /// No limit.
    public static let unlimited = RateLimit(requestsPerSecond: .infinity, burst: 1)
}

/// A token bucket as a pure value: `burst` tokens, refilled at `requestsPerSecond`. `reserve` takes a
/// token now (going into debt if needed) and says how long the caller must wait, so concurrent callers
/// are queued fairly in reservation order.
public struct TokenBucket: Sendable, Hashable {
    public let limit: RateLimit
    public private(set) var tokens: Double
    public private(set) var updated: Date?

    public init(limit: RateLimit) {
        self.limit = limit
        self.tokens = Double(limit.burst)
    }

    /// Takes one token at `now`; returns the wait (0 when a token was available).
    public mutating func reserve(at now: Date) -> TimeInterval {
        guard limit.requestsPerSecond.isFinite, limit.requestsPerSecond > 0 else { return 0 }
        if let updated {
            let elapsed = max(0, now.timeIntervalSince(updated))
            tokens = min(Double(limit.burst), tokens + elapsed * limit.requestsPerSecond)
        }
        updated = now
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / limit.requestsPerSecond
    }
}

/// The live limiter: a lock around a `TokenBucket` and a sleep for the reserved wait.
final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var bucket: TokenBucket

    init(limit: RateLimit) { bucket = TokenBucket(limit: limit) }

    func acquire() async throws(KubeError) {
        let wait = lock.withLock { bucket.reserve(at: Date()) }
        guard wait > 0 else { return }
        do {
            try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        } catch {
            throw .cancelled
        }
    }
}
