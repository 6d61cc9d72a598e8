import Foundation

/// Accuracy of forecasts against what happened, accumulated point by point: WAPE of the mean, pinball
/// loss and coverage of the upper quantile. Used for model selection, backtests and readiness.
public struct ForecastAccuracy: Sendable, Hashable, Codable {
    /// The quantile the upper forecasts claim.
    public var quantile: Double
    public private(set) var count = 0
    public private(set) var absoluteError = 0.0
    public private(set) var absoluteActual = 0.0
    public private(set) var pinballSum = 0.0
    public private(set) var covered = 0

    public init(quantile: Double) {
        self.quantile = quantile
    }

    /// Adds one realised bin peak against its forecast mean and upper quantile.
    public mutating func record(mean: Double, upper: Double, actual: Double) {
        guard actual.isFinite, mean.isFinite, upper.isFinite else { return }
        count += 1
        absoluteError += abs(actual - mean)
        absoluteActual += abs(actual)
        pinballSum += Self.pinball(upper: upper, actual: actual, quantile: quantile)
        if actual <= upper { covered += 1 }
    }

    /// Merges another accumulator of the same quantile.
    public mutating func merge(_ other: ForecastAccuracy) {
        count += other.count
        absoluteError += other.absoluteError
        absoluteActual += other.absoluteActual
        pinballSum += other.pinballSum
        covered += other.covered
    }

    /// Weighted absolute percentage error of the mean: Σ|y − ŷ| / Σ|y|. Zero when a zero series was
    /// forecast exactly; nil before any point or when all actuals are zero but the forecast was not.
    public var wape: Double? {
        guard count > 0 else { return nil }
        if absoluteActual > 0 { return absoluteError / absoluteActual }
        return absoluteError == 0 ? 0 : nil
    }

    /// Mean pinball (quantile) loss of the upper forecast, in GPUs; nil before any point.
    public var pinball: Double? { count > 0 ? pinballSum / Double(count) : nil }

    /// Share of actuals at or below the upper forecast; nil before any point.
    public var coverage: Double? { count > 0 ? Double(covered) / Double(count) : nil }

    /// Pinball loss of one upper forecast: under-forecasts cost `q` per GPU, over-forecasts `1 − q`.
    public static func pinball(upper: Double, actual: Double, quantile: Double) -> Double {
        let difference = actual - upper
        return difference >= 0 ? quantile * difference : (quantile - 1) * difference
    }
}

/// Realised accuracy over the most recent `capacity` bins, for the operator to feed as bins complete and
/// the readiness verdict to read ("is the forecast still as good as when it was chosen?").
public struct RollingAccuracy: Sendable, Hashable, Codable {
    public let quantile: Double
    public let capacity: Int
    private var entries: [Entry] = []
    private var next = 0

    struct Entry: Sendable, Hashable, Codable {
        var mean: Double
        var upper: Double
        var actual: Double
    }

    public init(quantile: Double, capacity: Int) {
        self.quantile = quantile
        self.capacity = max(1, capacity)
    }

    /// Records the forecast made for a bin against the peak that bin turned out to have.
    public mutating func record(mean: Double, upper: Double, actual: Double) {
        guard actual.isFinite, mean.isFinite, upper.isFinite else { return }
        let entry = Entry(mean: mean, upper: upper, actual: actual)
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[next] = entry
        }
        next = (next + 1) % capacity
    }

    /// Accuracy over the kept window.
    public var accuracy: ForecastAccuracy {
        var accuracy = ForecastAccuracy(quantile: quantile)
        for entry in entries { accuracy.record(mean: entry.mean, upper: entry.upper, actual: entry.actual) }
        return accuracy
    }
}
