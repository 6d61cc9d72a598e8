import Foundation

/// Exponential backoff with jitter as a pure value: `initial · multiplier^(n−1)`, capped at `maximum`,
/// plus up to `jitter` of itself at random. The random draw is an argument so schedules are testable.
public struct ExponentialBackoff: Sendable, Hashable {
    public var initial: TimeInterval
    public var maximum: TimeInterval
    public var multiplier: Double
    public var jitter: Double

    public init(initial: TimeInterval, maximum: TimeInterval, multiplier: Double = 2, jitter: Double = 0.5) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The wait after the `attempt`-th consecutive failure (1-based); `random` in `0..<1`.
    public func delay(attempt: Int, random: Double) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        let base = min(maximum, initial * pow(multiplier, exponent))
        return base * (1 + jitter * min(max(random, 0), 1))
    }

    /// client-go's reflector: 800 ms doubling to 30 s.
    public static let reflector = ExponentialBackoff(initial: 0.8, maximum: 30, multiplier: 2, jitter: 1)
}
