/// client-go's client-side rate limit as a pure value: `burst` tokens, refilled at `rate` per
/// second. `reserve` takes a token now, borrowing from the future when the bucket is empty, and
/// says how long until the borrowed token would have existed (`golang.org/x/time/rate`'s
/// `Reserve().Delay()`). Concurrent callers are therefore queued fairly in reservation order.
///
/// The one token bucket of the project: the Kubernetes client's QPS/burst limit (`KubeClient`) and
/// the controllers' overall work-queue limit (`ControllerRuntime`) both wrap it. Time is a number of
/// seconds on the caller's own clock (wall or monotonic); a clock that steps back refills nothing.
public struct TokenBucket: Sendable, Hashable {
    /// Tokens per second; infinite (or not positive) means no limit.
    public let rate: Double
    public let burst: Int
    public private(set) var tokens: Double
    /// The caller's clock at the last refill.
    public private(set) var updated: Double?

    public init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = max(1, burst)
        self.tokens = Double(self.burst)
    }

    /// Whether the bucket limits anything.
    public var isLimited: Bool { rate.isFinite && rate > 0 }

    /// Takes one token at `now` (seconds on the caller's clock); returns the wait in seconds, 0 when a
    /// token was available.
    public mutating func reserve(at now: Double) -> Double {
        guard isLimited else { return 0 }
        if let updated {
            if now > updated {
                tokens = min(Double(burst), tokens + (now - updated) * rate)
                self.updated = now
            }
        } else {
            updated = now
        }
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / rate
    }
}
