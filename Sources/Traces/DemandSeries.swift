/// GPU demand over time: each sample gives the GPUs demanded from its time until the next sample's.
///
/// Times are seconds from the trace's origin (t = 0 at local midnight of its first day, as the traces in
/// `../shared/data/traces` are written), not absolute instants: the same trace is replayed from whatever
/// start date a simulation chooses.
public struct DemandSeries: Sendable, Hashable {
    /// Sample times in seconds from the origin, strictly increasing.
    public let times: [Double]
    /// GPUs demanded from `times[i]` until `times[i + 1]` (the last one for one `step`). Non-negative.
    public let gpus: [Double]
    /// The usual spacing of samples, in seconds: the smallest gap between consecutive samples (60 for the
    /// one-minute traces), or 60 for a single sample. The last sample lasts this long.
    public let step: Double

    /// Builds a series from parallel arrays; `nil` when they differ in length, are empty, times are not
    /// strictly increasing, or any value is negative or not finite.
    public init?(times: [Double], gpus: [Double]) {
        guard !times.isEmpty, times.count == gpus.count else { return nil }
        var smallestGap = Double.infinity
        for index in times.indices {
            guard times[index].isFinite, gpus[index].isFinite, gpus[index] >= 0 else { return nil }
            if index > 0 {
                let gap = times[index] - times[index - 1]
                guard gap > 0 else { return nil }
                smallestGap = min(smallestGap, gap)
            }
        }
        self.init(unchecked: times, gpus: gpus, step: smallestGap.isFinite ? smallestGap : 60)
    }

    /// A regular series: `gpus[i]` holds during `[start + i·step, start + (i+1)·step)`.
    public init?(start: Double = 0, step: Double, gpus: [Double]) {
        guard step > 0, step.isFinite, start.isFinite else { return nil }
        self.init(times: gpus.indices.map { start + Double($0) * step }, gpus: gpus)
    }

    init(unchecked times: [Double], gpus: [Double], step: Double) {
        self.times = times
        self.gpus = gpus
        self.step = step
    }

    /// Number of samples.
    public var count: Int { times.count }

    /// First sample time.
    public var start: Double { times[0] }

    /// End of the last sample's interval (last time + step).
    public var end: Double { times[times.count - 1] + step }

    /// Covered time, from the first sample to the end of the last: 14 days for a 14-day minute trace.
    public var span: Double { end - start }

    /// True when samples are exactly `step` apart, so `gpus[i]` is the value of the i-th step.
    public var isRegular: Bool {
        zip(times, times.dropFirst()).allSatisfy { $1 - $0 == step }
    }

    /// Demand at `time` seconds from the origin; `nil` before the first sample or from `end` on.
    public func gpus(at time: Double) -> Double? {
        guard time >= start, time < end else { return nil }
        var low = 0
        var high = times.count - 1
        while low < high {   // the last index whose time is <= `time`
            let middle = (low + high + 1) / 2
            if times[middle] <= time { low = middle } else { high = middle - 1 }
        }
        return gpus[low]
    }

    /// Values on a regular grid of `step` from `start` to `end`, each the demand at the grid time: the
    /// series itself when regular, a step-function resampling otherwise. Statistics are computed on this.
    public func regularValues() -> [Double] {
        if isRegular { return gpus }
        let bins = Int((span / step).rounded(.down))
        var values: [Double] = []
        values.reserveCapacity(bins)
        var index = 0
        for bin in 0..<bins {
            let time = start + Double(bin) * step
            while index + 1 < times.count, times[index + 1] <= time { index += 1 }
            values.append(gpus[index])
        }
        return values
    }
}
