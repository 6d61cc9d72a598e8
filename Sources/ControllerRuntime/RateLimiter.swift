/// Decides how long a key waits before it is retried. Mirrors client-go's
/// `workqueue.TypedRateLimiter`. Implementations are plain values: the work queue owns one, calls
/// it under its lock, and passes the current time in (as time elapsed since an arbitrary origin),
/// so they are deterministic and testable without a clock.
public protocol RateLimiter<Item>: Sendable {
    associatedtype Item: Hashable & Sendable

    /// How long `item` should wait before it is processed again; records one more failure.
    mutating func delay(for item: Item, now: Duration) -> Duration
    /// Stops tracking `item`: its next failure starts from the base delay again.
    mutating func forget(_ item: Item)
    /// How many failures of `item` are currently recorded.
    func failures(of item: Item) -> Int
}

/// Per-item exponential backoff: `base * 2^failures`, capped at `maximum`. client-go's
/// `ItemExponentialFailureRateLimiter` (defaults 5 ms and 1000 s in controllers).
public struct ItemExponentialFailureRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    public var base: Duration
    public var maximum: Duration
    private var failureCounts: [Item: Int] = [:]

    public init(base: Duration = .milliseconds(5), maximum: Duration = .seconds(1000)) {
        self.base = base
        self.maximum = maximum
    }

    public mutating func delay(for item: Item, now: Duration) -> Duration {
        let exponent = failureCounts[item, default: 0]
        failureCounts[item] = exponent + 1
        // Compute in Double and compare before converting back, so huge exponents cannot overflow.
        let seconds = Self.seconds(base) * pow2(exponent)
        let maximumSeconds = Self.seconds(maximum)
        guard seconds.isFinite, seconds < maximumSeconds else { return maximum }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    public mutating func forget(_ item: Item) {
        failureCounts[item] = nil
    }

    public func failures(of item: Item) -> Int {
        failureCounts[item, default: 0]
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    private func pow2(_ exponent: Int) -> Double {
        exponent >= 1024 ? .infinity : Double(sign: .plus, exponent: exponent, significand: 1)
    }
}
