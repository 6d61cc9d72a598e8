import Foundation

/// A contiguous run of bin peaks the models learn from: `values[i]` is the peak of bin `firstBin + i`,
/// `.nan` where the bin is missing. Models read it by index, so forecasting "from origin `o`" means
/// using `values[..<o]` only: that is what lets one fitted model be evaluated at many origins cheaply.
public struct PeakSeries: Sendable, Hashable {
    public var firstBin: Int
    public var step: TimeInterval
    public var values: [Double]

    public init(firstBin: Int, step: TimeInterval, values: [Double]) {
        self.firstBin = firstBin
        self.step = step
        self.values = values
    }

    public var count: Int { values.count }

    /// The most recent observed value strictly before `origin`, or nil when there is none.
    public func lastObserved(before origin: Int) -> Double? {
        var index = min(origin, values.count) - 1
        while index >= 0 {
            if !values[index].isNaN { return values[index] }
            index -= 1
        }
        return nil
    }

    /// Number of observed (non-missing) values in `range`, clamped to the series.
    public func observedCount(in range: Range<Int>) -> Int {
        let clamped = range.clamped(to: 0..<values.count)
        return values[clamped].reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
    }

    /// Index of the first observed value, or nil for an all-missing series.
    var firstObservedIndex: Int? { values.firstIndex { !$0.isNaN } }
}

/// Order statistics used by the models and the calibration.
enum Quantiles {
    /// Linear-interpolation quantile (type 7) of an ascending array; nil for an empty one.
    static func interpolated(_ sorted: [Double], _ q: Double) -> Double? {
        guard let first = sorted.first else { return nil }
        guard sorted.count > 1 else { return first }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }

    /// Split-conformal quantile: the ⌈(n+1)q⌉-th smallest of `n` scores, which covers a new exchangeable
    /// score with probability at least `q`; the largest score when that rank exceeds `n`.
    static func conformal(_ scores: [Double], _ q: Double) -> Double? {
        guard !scores.isEmpty else { return nil }
        let rank = Int((Double(scores.count + 1) * q).rounded(.up))
        var values = scores
        return select(&values, rank: min(max(rank, 1), values.count) - 1)
    }

    /// The `rank`-th smallest value (0-based) by quickselect: linear time on average, where a full sort
    /// would be n log n; calibration does this thousands of times per fit. Reorders `values`.
    static func select(_ values: inout [Double], rank: Int) -> Double {
        values.withUnsafeMutableBufferPointer { buffer in
            var low = 0, high = buffer.count - 1
            while high > low {
                // Median of three as the pivot keeps sorted and constant inputs linear.
                let middle = low + (high - low) / 2
                let pivot = Swift.max(Swift.min(buffer[low], buffer[middle]),
                                      Swift.min(Swift.max(buffer[low], buffer[middle]), buffer[high]))
                var i = low, j = high
                while i <= j {
                    while buffer[i] < pivot { i += 1 }
                    while buffer[j] > pivot { j -= 1 }
                    if i <= j {
                        buffer.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if rank <= j {
                    high = j
                } else if rank >= i {
                    low = i
                } else {
                    return buffer[rank]
                }
            }
            return buffer[rank]
        }
    }

    /// Median of unsorted values; nil for none.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var copy = values
        let upper = select(&copy, rank: copy.count / 2)
        guard copy.count % 2 == 0 else { return upper }
        return (select(&copy, rank: copy.count / 2 - 1) + upper) / 2
    }
}
