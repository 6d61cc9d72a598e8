import Foundation

/// How long something takes that the simulations do not control: a node's start-up in the
/// simulator, a node's boot or GPU initialisation in the virtual infrastructure. One type for both,
/// sampled from `SplitMix64`, so the demo's simulated comparison draws start-ups exactly as the
/// virtual cluster's nodes take them.
public indirect enum DelayDistribution: Sendable, Hashable, CustomStringConvertible {
    /// Always exactly this long (negative reads as 0).
    case fixed(TimeInterval)
    /// Log-normal, given by its median and 90th percentile (p90 ≥ p50), the way start-up times are
    /// usually quoted.
    case logNormal(p50: TimeInterval, p90: TimeInterval)
    /// One draw of each, added: e.g. boot then GPU initialisation.
    case sum(DelayDistribution, DelayDistribution)

    /// z of the standard normal's 90th percentile.
    static let z90 = 1.281_551_565_544_600_4

    /// One delay, never negative.
    public func sample(using generator: inout SplitMix64) -> TimeInterval {
        switch self {
        case .fixed(let seconds):
            return max(0, seconds)
        case .logNormal(let p50, let p90):
            guard p50 > 0 else { return 0 }
            return exp(log(p50) + Self.sigma(p50: p50, p90: p90) * generator.normal())
        case .sum(let first, let second):
            return first.sample(using: &generator) + second.sample(using: &generator)
        }
    }

    /// The distribution's quantile `q`, for the oracle's bookkeeping and for reports. Exact for
    /// `fixed` and `logNormal`; for a `sum` (which has no closed form) the empirical quantile of
    /// 4,001 draws from a generator with a fixed seed, so it is the same number on every run.
    public func quantile(_ q: Double) -> TimeInterval {
        switch self {
        case .fixed(let seconds):
            return max(0, seconds)
        case .logNormal(let p50, let p90):
            guard p50 > 0 else { return 0 }
            return exp(log(p50) + Self.sigma(p50: p50, p90: p90) * StandardNormal.inverseCDF(q))
        case .sum:
            var generator = SplitMix64(seed: 0x5EED_0F_DE1A)
            let draws = (0..<4_001).map { _ in sample(using: &generator) }.sorted()
            let index = Int((min(max(q, 0), 1) * Double(draws.count - 1)).rounded())
            return draws[index]
        }
    }

    public var description: String {
        switch self {
        case .fixed(let seconds): return "fixed \(Int(seconds.rounded()))s"
        case .logNormal(let p50, let p90): return "lognormal p50=\(Int(p50.rounded()))s p90=\(Int(p90.rounded()))s"
        case .sum(let first, let second): return "\(first) + \(second)"
        }
    }

    private static func sigma(p50: TimeInterval, p90: TimeInterval) -> Double {
        p90 > p50 ? (log(p90) - log(p50)) / z90 : 0
    }
}
