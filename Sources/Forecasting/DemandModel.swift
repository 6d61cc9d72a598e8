import Foundation

/// A forecasting method, configured but not yet fitted. Every model family (seasonal profile, seasonal
/// regression, Holt-Winters) sits behind this protocol so the forecaster can backtest them alike and
/// choose by the pool's own history rather than by a guess.
public protocol DemandModel: Sendable {
    /// Short name for status, logs and reports (e.g. "profile-24h").
    var name: String { get }
    /// Estimates parameters from `series.values[..<end]`. The fitted model keeps the series, so it can
    /// also forecast from later origins using the values before them (held-out evaluation).
    func fit(_ series: PeakSeries, upTo end: Int) -> any FittedDemandModel
}

/// An immutable fitted model: forecasts bin peaks from any origin using only the values before it.
public protocol FittedDemandModel: Sendable {
    var name: String { get }
    /// Forecasts bins `origin ..< origin + count` from `values[..<origin]` (origin may lie past the end
    /// of the series; bins in between are then forecast too, not read). Entries may be `.nan` where the
    /// model has nothing to say (e.g. no observed season for that phase); the caller falls back.
    func forecast(from origin: Int, count: Int) -> ModelForecast
    /// The same fitted parameters carried forward over `series`, which repeats this model's series and
    /// appends newer bins: the state a forecast starts from (levels, anchors, recent seasons) follows the
    /// new bins, nothing is re-estimated. Nil when the model cannot be carried forward (it is then refitted).
    func extended(to series: PeakSeries) -> (any FittedDemandModel)?
}

extension FittedDemandModel {
    public func extended(to series: PeakSeries) -> (any FittedDemandModel)? { nil }
}

/// Raw model output for consecutive bins before calibration: a point forecast and, for models that
/// have one, their own upper quantile (otherwise the calibration puts its margin on the mean).
public struct ModelForecast: Sendable, Hashable {
    public var means: [Double]
    public var uppers: [Double]?

    public init(means: [Double], uppers: [Double]? = nil) {
        self.means = means
        self.uppers = uppers
    }
}
