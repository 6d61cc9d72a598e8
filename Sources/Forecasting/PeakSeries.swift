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

    /// `conformal` of the values of several ascending runs taken together, without merging them: the
    /// order statistic is walked to from whichever end is nearer, taking the next value from the run
    /// whose end holds it. The same value as `conformal` of the concatenation.
    static func conformal(sortedRuns runs: ArraySlice<[Double]>, _ q: Double) -> Double? {
        let count = runs.reduce(0) { $0 + $1.count }
        guard count > 0 else { return nil }
        let rank = min(max(Int((Double(count + 1) * q).rounded(.up)), 1), count) - 1
        let runs = Array(runs)
        if rank < count - 1 - rank {
            var next = [Int](repeating: 0, count: runs.count)
            var value = Double.nan
            for _ in 0...rank {
                var best = -1
                for run in runs.indices where next[run] < runs[run].count {
                    if best < 0 || runs[run][next[run]] < runs[best][next[best]] { best = run }
                }
                value = runs[best][next[best]]
                next[best] += 1
            }
            return value
        }
        var next = runs.map { $0.count - 1 }
        var value = Double.nan
        for _ in 0...(count - 1 - rank) {
            var best = -1
            for run in runs.indices where next[run] >= 0 {
                if best < 0 || runs[run][next[run]] > runs[best][next[best]] { best = run }
            }
            value = runs[best][next[best]]
            next[best] -= 1
        }
        return value
    }

    /// Sorts ascending (values without NaN): quicksort with the median-of-three pivot `select` uses and
    /// insertion sort for short ranges, several times faster on doubles than the standard library's
    /// generic stable sort, which calibration called thousands of times per fit.
    static func sortAscending(_ values: inout [Double]) {
        values.withUnsafeMutableBufferPointer { buffer in
            var pending = [(0, buffer.count - 1)]
            while let (start, end) = pending.popLast() {
                var low = start, high = end
                while high - low > 16 {
                    let (j, i) = partition(buffer, low, high)
                    // Go on with the smaller side and keep the larger for later: the stack stays shallow.
                    if j - low < high - i {
                        pending.append((i, high))
                        high = j
                    } else {
                        pending.append((low, j))
                        low = i
                    }
                }
                if high > low {
                    for index in (low + 1)...high {
                        let value = buffer[index]
                        var slot = index
                        while slot > low, buffer[slot - 1] > value {
                            buffer[slot] = buffer[slot - 1]
                            slot -= 1
                        }
                        buffer[slot] = value
                    }
                }
            }
        }
    }

    /// The `rank`-th smallest value (0-based) by quickselect: linear time on average, where a full sort
    /// would be n log n; calibration does this thousands of times per fit. Reorders `values`.
    static func select(_ values: inout [Double], rank: Int) -> Double {
        values.withUnsafeMutableBufferPointer { buffer in
            var low = 0, high = buffer.count - 1
            while high > low {
                let (j, i) = partition(buffer, low, high)
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

    /// One Hoare partition step of `buffer[low...high]` around the median of its first, middle and last
    /// values (which keeps sorted and constant inputs linear), shared by `sortAscending` and `select`.
    /// Afterwards every value in `low...j` is ≤ the pivot, every value in `i...high` is ≥ it, and any
    /// values strictly between `j` and `i` equal it; returns `(j, i)`.
    private static func partition(_ buffer: UnsafeMutableBufferPointer<Double>, _ low: Int, _ high: Int) -> (Int, Int) {
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
        return (j, i)
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
