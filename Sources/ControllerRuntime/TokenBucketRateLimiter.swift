import KubeAPI

/// An overall token bucket shared by all items: `rate` tokens per second, at most `burst` saved.
/// Each call takes a token, borrowing from the future when the bucket is empty, and returns how
/// long until the borrowed token would have existed. This is `golang.org/x/time/rate`'s
/// `Reserve().Delay()` as client-go's `TypedBucketRateLimiter` uses it (10 qps, burst 100 in
/// controllers), so a storm of failing keys cannot hammer the API server. `forget` does nothing:
/// the bucket is not per item.
public struct TokenBucketRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    private var bucket: TokenBucket

    public init(rate: Double = 10, burst: Int = 100) {
        bucket = TokenBucket(rate: rate, burst: burst)
    }

    public var rate: Double { bucket.rate }
    public var burst: Int { bucket.burst }

    public mutating func delay(for item: Item, now: Duration) -> Duration {
        let wait = bucket.reserve(at: ItemExponentialFailureRateLimiter<Item>.seconds(now))
        guard wait > 0 else { return .zero }
        return .nanoseconds(Int64((wait * 1e9).rounded(.up)))
    }

    public mutating func forget(_ item: Item) {}

    public func failures(of item: Item) -> Int { 0 }
}

/// The longest delay of several limiters; failures and forget go to all of them. client-go's
/// `MaxOfRateLimiter`.
public struct MaxOfRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    private var limiters: [any RateLimiter<Item>]

    public init(_ limiters: [any RateLimiter<Item>]) {
        self.limiters = limiters
    }

    public mutating func delay(for item: Item, now: Duration) -> Duration {
        var longest = Duration.zero
        for index in limiters.indices {
            longest = max(longest, limiters[index].delay(for: item, now: now))
        }
        return longest
    }

    public mutating func forget(_ item: Item) {
        for index in limiters.indices { limiters[index].forget(item) }
    }

    public func failures(of item: Item) -> Int {
        limiters.map { $0.failures(of: item) }.max() ?? 0
    }
}

extension MaxOfRateLimiter {
    /// client-go's `DefaultTypedControllerRateLimiter`: per-item exponential backoff from 5 ms to
    /// 1000 s, combined with an overall 10 qps / burst 100 token bucket.
    public static func controllerDefault() -> MaxOfRateLimiter<Item> {
        MaxOfRateLimiter([
            ItemExponentialFailureRateLimiter<Item>(base: .milliseconds(5), maximum: .seconds(1000)),
            TokenBucketRateLimiter<Item>(rate: 10, burst: 100),
        ])
    }
}
