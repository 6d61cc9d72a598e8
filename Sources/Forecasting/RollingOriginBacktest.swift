import Foundation

/// The rolling-origin protocol: at each origin, fit on the history strictly before it, forecast the
/// horizon, and score every forecast bin against the peak that bin really had. This type holds the
/// protocol and the scoring; the caller drives the loop (and times it, since the core has no clock).
public struct RollingOriginBacktest: Sendable {
    public var configuration: ForecastConfiguration
    /// Forecast length scored at every origin, in seconds.
    public var horizon: TimeInterval
    /// Instants at which a forecast is made.
    public var origins: [Date]

    public init(configuration: ForecastConfiguration, horizon: TimeInterval, origins: [Date]) {
        self.configuration = configuration
        self.horizon = horizon
        self.origins = origins
    }

    /// Origins every `every` seconds over the last `span` seconds of `history`, each leaving a full
    /// horizon of observed bins after it (the "origins every 2 h over the last 5 days").
    public static func origins(in history: DemandHistory, every: TimeInterval, span: TimeInterval,
                               horizon: TimeInterval) -> [Date] {
        guard let end = history.end, every > 0 else { return [] }
        let first = end.addingTimeInterval(-span)
        var origins = [Date]()
        var origin = first
        while origin.addingTimeInterval(horizon) <= end {
            if let start = history.start, origin > start { origins.append(origin) }
            origin = origin.addingTimeInterval(every)
        }
        return origins
    }

    /// A forecaster restricted to one model family (or all of them, choosing, for nil).
    public func forecaster(kind: ForecastModelKind?) -> DemandForecaster {
        var configuration = configuration
        configuration.models = kind.map { [$0] } ?? []
        return DemandForecaster(configuration: configuration)
    }

    /// Fits at `origin` on the history before it and forecasts the horizon.
    public func forecast(_ forecaster: DemandForecaster, history: DemandHistory, at origin: Date) -> Forecast {
        forecaster.fit(history: history, at: origin).forecast(at: origin, horizon: horizon)
    }

    /// Scores a forecast's bins against the history's observed peaks (missing bins are skipped).
    public static func score(_ forecast: Forecast, against history: DemandHistory) -> ForecastAccuracy {
        var accuracy = ForecastAccuracy(quantile: forecast.quantile)
        for point in forecast.points {
            let offset = history.binIndex(of: point.start) - history.firstBin
            if let actual = history.bin(at: offset)?.peak {
                accuracy.record(mean: point.mean, upper: point.upper, actual: actual)
            }
        }
        return accuracy
    }
}
