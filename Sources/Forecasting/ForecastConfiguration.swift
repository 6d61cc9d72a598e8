import Foundation

/// How a pool's demand is forecast: the pool's `spec.forecast` and `spec.schedules` in model terms.
/// The defaults are the GPUPool defaults (5-minute bins, daily and weekly seasonality, 14 days, q = 0.95).
public struct ForecastConfiguration: Sendable, Hashable {
    /// Bin width in seconds.
    public var step: TimeInterval
    /// Seasonal periods to learn, in seconds (e.g. 86 400 and 604 800).
    public var seasonalities: [TimeInterval]
    /// How far back the models learn from, in seconds.
    public var history: TimeInterval
    /// The quantile of bin-peak demand that `ForecastPoint.upper` estimates, in (0, 1).
    public var quantile: Double
    /// Declared schedule windows added on top of the learned baseline.
    public var schedules: [ScheduledDemand]
    /// Longest lead, in seconds, whose upper quantile is calibrated separately; beyond it the widest
    /// calibrated margin is used. Should cover the refit cadence plus the planner's horizon.
    public var calibrationHorizon: TimeInterval = 3 * 3600
    /// Most recent part of the history whose forecast errors calibrate the upper quantile.
    public var calibrationWindow: TimeInterval = 14 * 86_400
    /// Most recent part of the history held out to choose between models (and to judge recent accuracy).
    public var validation: TimeInterval = 2 * 86_400
    /// How much lower (as a fraction) another model's held-out pinball loss must be before it replaces the
    /// preferred model (the regression–Holt-Winters ensemble when the history supports both).
    public var selectionMargin = 0.05
    /// How long `DemandForecaster.fit(history:at:updating:)` carries a fit's model choice, parameters and
    /// calibration forward over new bins before estimating them again (the expensive part of a fit).
    /// Daily: the estimates describe weeks of history and barely move in a day, while the state a
    /// forecast starts from (level, anchor) is brought up to date at every refit.
    public var reestimationInterval: TimeInterval = 86_400
    /// The models to consider; empty means every model that fits the history.
    public var models: [ForecastModelKind] = []
    /// When the forecast is trusted; see `ForecastReadinessCriteria`.
    public var readiness = ForecastReadinessCriteria()

    public init(step: TimeInterval, seasonalities: [TimeInterval], history: TimeInterval,
                quantile: Double, schedules: [ScheduledDemand]) {
        self.step = step
        self.seasonalities = seasonalities
        self.history = history
        self.quantile = quantile
        self.schedules = schedules
    }

    /// 5-minute bins, daily and weekly seasonality, 14 days of history, the 0.95 quantile, no schedules.
    public static let standard = ForecastConfiguration(
        step: 300, seasonalities: [86_400, 604_800], history: 14 * 86_400, quantile: 0.95, schedules: [])

    /// `quantile` clamped to a usable range.
    var safeQuantile: Double { quantile.isFinite ? min(max(quantile, 0.5), 0.999) : 0.95 }
}

/// The model families a forecaster chooses from.
public enum ForecastModelKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Quantiles of the same phase over recent seasons.
    case seasonalProfile = "profile"
    /// Level, trend and Fourier terms fitted robustly, anchored to the recent residual.
    case seasonalRegression = "regression"
    /// Additive Holt-Winters, the classic reference.
    case holtWinters = "holt-winters"
    /// The average of the regression and Holt-Winters, calibrated as one model.
    case ensemble
}
