import Foundation
import Traces

/// How long a simulated step (node boot, GPU driver initialisation) takes: a fixed time, or a
/// log-normal spread given by its median and 90th percentile, sampled from the infrastructure's
/// seeded generator so the same seed gives the same cluster history.
public enum DelayDistribution: Sendable, Hashable {
    case fixed(TimeInterval)
    /// Log-normal with the given median (p50) and 90th percentile (p90 ≥ p50), in seconds.
    case logNormal(p50: TimeInterval, p90: TimeInterval)

    /// z of the standard normal's 90th percentile.
    private static let z90 = 1.2815515655446004

    /// One delay, never negative.
    public func sample(using generator: inout SplitMix64) -> TimeInterval {
        switch self {
        case .fixed(let seconds):
            return max(0, seconds)
        case .logNormal(let p50, let p90):
            guard p50 > 0 else { return 0 }
            let sigma = p90 > p50 ? (log(p90) - log(p50)) / Self.z90 : 0
            return exp(log(p50) + sigma * generator.normal())
        }
    }
}
