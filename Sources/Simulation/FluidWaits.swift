import Foundation

/// How long demand waited, weighted by GPU-time, for a demand series: the simulator has no jobs to
/// time there, so a GPU-second of demand that found no ready capacity is taken to have waited as long
/// as the shortfall it fell in had lasted, and a served GPU-second waited 0. The 95th percentile is
/// then "95 % of demanded GPU-time waited at most this long", the quantity `spec.objective.maxWait`
/// with `waitQuantile` bounds (docs/tuning.md).
public struct FluidWaits: Sendable, Hashable {
    /// (wait, GPU-seconds) of unmet demand, in the order recorded.
    public private(set) var unmet: [Sample] = []
    /// All demanded GPU-seconds, served or not.
    public private(set) var demandedGPUSeconds = 0.0

    public struct Sample: Sendable, Hashable {
        public var wait: TimeInterval
        public var gpuSeconds: Double
    }

    public init() {}

    /// Adds `demanded` GPU-seconds of which `unmetGPUSeconds` waited `wait`.
    public mutating func add(demanded: Double, unmetGPUSeconds: Double, wait: TimeInterval) {
        demandedGPUSeconds += max(0, demanded)
        if unmetGPUSeconds > 1e-9 { unmet.append(Sample(wait: max(0, wait), gpuSeconds: unmetGPUSeconds)) }
    }

    /// The wait that `quantile` of demanded GPU-time stayed within (0 when that much was served at once).
    public func quantile(_ quantile: Double) -> TimeInterval {
        guard demandedGPUSeconds > 0 else { return 0 }
        let unmetTotal = unmet.reduce(0) { $0 + $1.gpuSeconds }
        var covered = demandedGPUSeconds - unmetTotal
        let wanted = quantile * demandedGPUSeconds
        if covered >= wanted - 1e-9 { return 0 }
        for sample in unmet.sorted(by: { $0.wait < $1.wait }) {
            covered += sample.gpuSeconds
            if covered >= wanted - 1e-9 { return sample.wait }
        }
        return unmet.map(\.wait).max() ?? 0
    }

    /// Share of demanded GPU-time that waited longer than `limit`.
    public func fraction(waitingLongerThan limit: TimeInterval) -> Double {
        guard demandedGPUSeconds > 0 else { return 0 }
        return unmet.reduce(0) { $0 + ($1.wait > limit ? $1.gpuSeconds : 0) } / demandedGPUSeconds
    }
}
