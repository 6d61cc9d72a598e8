import Foundation

/// A demand forecast as the planner consumes it: per-bin peak demand (mean and upper quantile)
/// from `origin` onwards, with declared schedule windows already added on top of the learned
/// baseline. Immutable, so one forecast can be shared by the planner, status and metrics.
public struct Forecast: Sendable, Hashable {
    /// Name of the model that produced the baseline (for status, logs and reports).
    public var model: String
    /// First instant the forecast covers; history ends here.
    public var origin: Date
    /// Bin width in seconds; `points[i]` covers `[origin + i*step, origin + (i+1)*step)`.
    public var step: TimeInterval
    /// The quantile `upper` estimates (e.g. 0.95).
    public var quantile: Double
    /// Whether the planner may trust the learned part of this forecast.
    public var readiness: ForecastReadiness
    public var points: [ForecastPoint]
    /// Declared schedule windows overlapping the forecast horizon, already included in `points`.
    public var scheduledWindows: [ScheduledWindow]

    public init(
        model: String,
        origin: Date,
        step: TimeInterval,
        quantile: Double,
        readiness: ForecastReadiness,
        points: [ForecastPoint],
        scheduledWindows: [ScheduledWindow] = []
    ) {
        self.model = model
        self.origin = origin
        self.step = step
        self.quantile = quantile
        self.readiness = readiness
        self.points = points
        self.scheduledWindows = scheduledWindows
    }

    /// The instant the last bin ends.
    public var horizonEnd: Date {
        origin.addingTimeInterval(step * Double(points.count))
    }

    /// Upper-quantile peak demand (GPUs) over `[start, end)`: the maximum `upper` of every bin
    /// that overlaps the interval. The planner's main question ("how many GPUs may be needed
    /// before a node requested now is ready?"). Returns 0 for an interval outside the horizon.
    public func peakUpper(from start: Date, to end: Date) -> Double {
        bins(overlapping: start, end).reduce(0) { max($0, points[$1].upper) }
    }

    /// Mean peak demand over `[start, end)`, the same way.
    public func peakMean(from start: Date, to end: Date) -> Double {
        bins(overlapping: start, end).reduce(0) { max($0, points[$1].mean) }
    }

    private func bins(overlapping start: Date, _ end: Date) -> Range<Int> {
        guard step > 0, end > start, !points.isEmpty else { return 0..<0 }
        let first = Int((start.timeIntervalSince(origin) / step).rounded(.down))
        let last = Int((end.timeIntervalSince(origin) / step).rounded(.up))
        let lower = min(max(first, 0), points.count)
        let upper = min(max(last, lower), points.count)
        return lower..<upper
    }
}

/// One forecast bin: the expected peak demand and its upper quantile, in GPUs.
public struct ForecastPoint: Sendable, Hashable, Codable {
    public var start: Date
    public var mean: Double
    public var upper: Double

    public init(start: Date, mean: Double, upper: Double) {
        self.start = start
        self.mean = mean
        self.upper = upper
    }
}

/// A schedule window (a retraining job, a batch run, off-hours) and what it does to the pool.
public struct ScheduledWindow: Sendable, Hashable, Codable {
    public var name: String
    public var start: Date
    public var end: Date
    /// GPUs an `add` window adds or a `floor` window guarantees; 0 for `cap`.
    public var gpus: Double
    public var mode: ScheduledDemand.Mode
    /// A `cap` window's most nodes; nil otherwise.
    public var capNodes: Int?

    public init(name: String, start: Date, end: Date, gpus: Double, mode: ScheduledDemand.Mode = .add, capNodes: Int? = nil) {
        self.name = name
        self.start = start
        self.end = end
        self.gpus = gpus
        self.mode = mode
        self.capNodes = capNodes
    }

    /// Windows stored before modes existed decode as `add`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        start = try container.decode(Date.self, forKey: .start)
        end = try container.decode(Date.self, forKey: .end)
        gpus = try container.decode(Double.self, forKey: .gpus)
        mode = try container.decodeIfPresent(ScheduledDemand.Mode.self, forKey: .mode) ?? .add
        capNodes = try container.decodeIfPresent(Int.self, forKey: .capNodes)
    }

    /// Whether the window raises demand (`add`, `floor`) rather than limiting nodes (`cap`).
    public var raisesDemand: Bool { mode != .cap }

    /// Whether the window is open at `instant`.
    public func isOpen(at instant: Date) -> Bool { start <= instant && instant < end }
}

/// Whether the learned baseline can be trusted. When it cannot, the planner falls back to
/// reactive scaling plus declared schedules plus the warm pool, and the operator reports
/// `ForecastReady=False` with the reason.
public enum ForecastReadiness: Sendable, Hashable {
    case ready
    case notReady(ForecastNotReadyReason)

    public var isReady: Bool {
        if case .ready = self { return true }
        return false
    }
}

/// Why a forecast is not ready; `rawValue` is the CamelCase condition reason.
public enum ForecastNotReadyReason: String, Sendable, Hashable, CaseIterable {
    /// Less history than the longest configured seasonality needs.
    case insufficientHistory = "InsufficientHistory"
    /// Too many missing bins in the recent history (the operator was down, observation failed).
    case poorCoverage = "PoorCoverage"
    /// Recent realised accuracy (upper-quantile coverage or WAPE) is too poor to plan on.
    case poorAccuracy = "PoorAccuracy"
}
