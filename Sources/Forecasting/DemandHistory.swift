import Foundation

/// Demand observed by a pool, kept as fixed-step bins of the peak and mean GPUs requested.
///
/// Forecasts are made for bin peaks (capacity must cover the peak, not the mean), so each bin keeps its
/// peak; the mean is kept for reports and utilisation. A bin nobody observed (the operator was down,
/// observation failed) is *missing*, never zero: zero is a real demand level and learning from a fake
/// zero would teach the models outages. Appending is O(1) amortised; bins older than `retention` are
/// dropped as new ones arrive, so the history stays bounded and cheap to persist.
public struct DemandHistory: Sendable, Hashable {
    /// Bin width in seconds; bins are aligned to multiples of `step` since the reference date.
    public let step: TimeInterval
    /// How far back bins are kept, in seconds.
    public let retention: TimeInterval
    /// Index of the first kept bin (`start = firstBin * step` seconds since 1970).
    public internal(set) var firstBin: Int
    var peaks: [Double]
    var means: [Double]
    var counts: [UInt16]

    /// An empty history. `step` must be positive; `retention` shorter than one step keeps one bin.
    public init(step: TimeInterval, retention: TimeInterval) {
        self.step = step > 0 ? step : 300
        self.retention = max(retention, self.step)
        self.firstBin = 0
        self.peaks = []
        self.means = []
        self.counts = []
    }

    /// Number of bins kept, missing ones included.
    public var binCount: Int { peaks.count }

    /// Most bins the retention allows.
    public var capacity: Int { max(1, Int((retention / step).rounded(.down))) }

    /// Start of the first kept bin, or nil when nothing was recorded.
    public var start: Date? { peaks.isEmpty ? nil : date(ofBin: firstBin) }

    /// End of the last kept bin (exclusive), or nil when nothing was recorded.
    public var end: Date? { peaks.isEmpty ? nil : date(ofBin: firstBin + peaks.count) }

    /// Number of bins that hold at least one sample.
    public var observedBinCount: Int { counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// Index of the bin containing `instant` (bins are `[index*step, (index+1)*step)`).
    public func binIndex(of instant: Date) -> Int {
        Int((instant.timeIntervalSince1970 / step).rounded(.down))
    }

    /// Start of bin `index`.
    public func date(ofBin index: Int) -> Date {
        Date(timeIntervalSince1970: Double(index) * step)
    }

    /// Adds one sample of demand. Several samples per bin are fine: the bin keeps their peak and mean.
    /// Samples older than the kept window are ignored (they can no longer change a decision); a sample
    /// far in the future of the last bin marks the bins in between missing. Non-finite or negative
    /// samples are ignored: demand is a count of requested GPUs.
    public mutating func record(gpus: Double, at instant: Date) {
        guard gpus.isFinite, gpus >= 0 else { return }
        let index = binIndex(of: instant)
        if peaks.isEmpty {
            firstBin = index
            append(missingBins: 1)
        } else if index < firstBin {
            return
        } else if index >= firstBin + peaks.count {
            let gap = index - (firstBin + peaks.count) + 1
            if gap > capacity {
                firstBin = index
                peaks.removeAll(keepingCapacity: true)
                means.removeAll(keepingCapacity: true)
                counts.removeAll(keepingCapacity: true)
                append(missingBins: 1)
            } else {
                append(missingBins: gap)
            }
        }
        let slot = index - firstBin
        let count = counts[slot]
        if count == 0 {
            peaks[slot] = gpus
            means[slot] = gpus
        } else {
            peaks[slot] = max(peaks[slot], gpus)
            means[slot] += (gpus - means[slot]) / Double(count + 1)
        }
        if count < UInt16.max { counts[slot] = count + 1 }
        trimToCapacity()
    }

    /// Marks time up to `instant` as passed without observations, so the bins in between read as missing
    /// (the operator calls this when it resumes after a gap, before recording again).
    public mutating func advance(to instant: Date) {
        guard !peaks.isEmpty else { return }
        let index = binIndex(of: instant)
        let gap = index - (firstBin + peaks.count) + 1
        guard gap > 0 else { return }
        append(missingBins: min(gap, capacity))
        if gap > capacity { firstBin = index - peaks.count + 1 }
        trimToCapacity()
    }

    /// The bin starting at `firstBin + offset`, or nil when it is missing or outside the history.
    public func bin(at offset: Int) -> DemandBin? {
        guard offset >= 0, offset < peaks.count, counts[offset] > 0 else { return nil }
        return DemandBin(start: date(ofBin: firstBin + offset), peak: peaks[offset], mean: means[offset],
                         samples: Int(counts[offset]))
    }

    /// All kept bins in time order; nil marks a missing bin.
    public var bins: [DemandBin?] { (0..<peaks.count).map(bin(at:)) }

    /// Bin peaks from bin `first` up to (not including) bin `last`, `.nan` where missing or not kept.
    /// This is the series the models learn from.
    public func peakSeries(fromBin first: Int, toBin last: Int) -> [Double] {
        guard last > first else { return [] }
        var values = [Double](repeating: .nan, count: last - first)
        let lower = max(first, firstBin), upper = min(last, firstBin + peaks.count)
        guard upper > lower else { return values }
        for index in lower..<upper where counts[index - firstBin] > 0 {
            values[index - first] = peaks[index - firstBin]
        }
        return values
    }

    private mutating func append(missingBins count: Int) {
        peaks.append(contentsOf: repeatElement(0, count: count))
        means.append(contentsOf: repeatElement(0, count: count))
        counts.append(contentsOf: repeatElement(0, count: count))
    }

    fileprivate mutating func trimToCapacity() {
        let excess = peaks.count - capacity
        guard excess > 0 else { return }
        peaks.removeFirst(excess)
        means.removeFirst(excess)
        counts.removeFirst(excess)
        firstBin += excess
    }
}

/// One observed bin of a `DemandHistory`.
public struct DemandBin: Sendable, Hashable {
    public var start: Date
    /// Highest demand sampled in the bin, in GPUs.
    public var peak: Double
    /// Mean of the samples in the bin, in GPUs.
    public var mean: Double
    /// How many samples the bin holds.
    public var samples: Int
}

extension DemandHistory {
    /// The same bins kept for `retention` instead: the newest bins that fit, or all of them.
    /// Used when a pool's history window changes and when a history stored under another window is
    /// restored, so neither throws observed demand away needlessly.
    public func retaining(_ retention: TimeInterval) -> DemandHistory {
        var copy = DemandHistory(step: step, retention: retention)
        copy.firstBin = firstBin
        copy.peaks = peaks
        copy.means = means
        copy.counts = counts
        copy.trimToCapacity()
        return copy
    }
}
