import Foundation
import KubeAPI

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

extension TokenBucket {
    /// The bucket a client's `RateLimit` (QPS and burst) asks for.
    public init(limit: RateLimit) {
        self.init(rate: limit.requestsPerSecond, burst: limit.burst)
    }
}

/// The live limiter: a lock around a `TokenBucket` and a sleep for the reserved wait.
final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var bucket: TokenBucket

    init(limit: RateLimit) { bucket = TokenBucket(limit: limit) }

    func acquire() async throws(KubeError) {
        let wait = lock.withLock { bucket.reserve(at: Date().timeIntervalSince1970) }
        guard wait > 0 else { return }
        do {
            try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        } catch {
            throw .cancelled
        }
    }
}
