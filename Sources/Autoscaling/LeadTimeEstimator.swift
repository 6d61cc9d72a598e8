import Foundation

/// Estimates how long a node takes from "requested" to "useful" from recently observed start-ups:
/// the configured prior until there are enough samples, then the configured quantile of the
/// samples. The operator feeds it Node creation → GPU-allocatable durations; the simulator its own.
/// `estimate(_: StartupSamples)` adds the phases outside the node start-up (`StartupPhases.swift`).
public struct LeadTimeEstimator: Sendable, Hashable {
    /// Used until `minimumSamples` start-ups have been observed (`spec.startup.expected`).
    public var prior: TimeInterval
    /// The quantile of observed start-ups to plan on (`spec.startup.quantile`).
    public var quantile: Double
    public var minimumSamples: Int

    /// Longest start-up the estimate takes from a sample or a prior: a day. A node that sat NotReady for
    /// days, or a clock error in a node's conditions, says nothing about how long the next node takes,
    /// and a lead time of years would ask the forecaster for a horizon it cannot hold.
    public static let longestStartup: TimeInterval = 86_400

    public init(prior: TimeInterval, quantile: Double, minimumSamples: Int = 5) {
        self.prior = prior.isFinite ? min(max(0, prior), Self.longestStartup) : 0
        self.quantile = min(max(quantile, 0), 1)
        self.minimumSamples = max(1, minimumSamples)
    }

    public func estimate(samples: [TimeInterval]) -> LeadTimeEstimate {
        let valid = samples.filter { $0.isFinite && $0 >= 0 && $0 <= Self.longestStartup }.sorted()
        guard valid.count >= minimumSamples else {
            return LeadTimeEstimate(leadTime: prior, source: .prior, samples: valid.count,
                                    p50: interpolatedQuantile(0.5, ofSorted: valid), p90: interpolatedQuantile(0.9, ofSorted: valid))
        }
        return LeadTimeEstimate(
            leadTime: interpolatedQuantile(quantile, ofSorted: valid) ?? prior, source: .observed, samples: valid.count,
            p50: interpolatedQuantile(0.5, ofSorted: valid), p90: interpolatedQuantile(0.9, ofSorted: valid))
    }
}

/// A lead time and where it came from, for status (`startup {p50, p90, samples}`) and explanations.
public struct LeadTimeEstimate: Sendable, Hashable {
    public var leadTime: TimeInterval
    public var source: LeadTimeSource
    public var samples: Int
    /// Node start-ups' median and 90th percentile (creation to GPU-allocatable).
    public var p50: TimeInterval?
    public var p90: TimeInterval?
    /// The phases measured so far, in order; empty when only node start-ups are known.
    public var phases: [StartupPhaseEstimate] = []
}

public enum LeadTimeSource: String, Sendable, Hashable {
    /// Too few start-ups observed; the spec's expected start-up time is used.
    case prior = "Prior"
    /// The configured quantile of observed start-ups.
    case observed = "Observed"
    /// The observed node start-up plus the observed phases around it (Machine provisioning,
    /// scheduling, image pull, model load): asking for a node to a pod serving on it.
    case phases = "Phases"
}

/// The `q` quantile of already sorted values by linear interpolation between closest ranks (the
/// common "type 7" definition); `nil` for no values. Shared by the lead-time estimate and the
/// simulator's wait percentiles so both mean the same thing by "p90".
public func interpolatedQuantile(_ q: Double, ofSorted values: [Double]) -> Double? {
    guard let first = values.first else { return nil }
    guard values.count > 1 else { return first }
    let position = min(max(q, 0), 1) * Double(values.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, values.count - 1)
    let fraction = position - Double(lower)
    return values[lower] + (values[upper] - values[lower]) * fraction
}
