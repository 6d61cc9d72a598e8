import Foundation

/// The production forecast path, the same in the operator and the simulator: every observed demand
/// sample goes into a `DemandHistory`; the forecaster is refitted on the operator's cadence (every
/// completed forecast bin, carrying the model forward and re-estimating it daily, as
/// `DemandForecaster.fit(history:at:updating:)` does), and in between the fitted forecaster answers
/// every step. It only ever sees the past.
///
/// The history keeps two bins more than `configuration.history`: the bin now filling is kept too,
/// and a fit reads the whole configured window before it. (The operator used to keep exactly
/// `history`, one bin short of what a fit reads; the simulator kept this margin. See
/// docs/architecture.md.)
public struct LearnedForecasts: ForecastSource {
    public private(set) var forecaster: DemandForecaster
    public private(set) var history: DemandHistory
    /// The refit interval asked for; nil: every forecast bin, the operator's cadence.
    public let requestedRefitInterval: TimeInterval?
    public private(set) var fitted: FittedDemandForecaster?
    /// Fits made so far (full or carried), for benchmarks.
    public private(set) var fits = 0
    private var lastFit: Date?

    /// `refitInterval` nil means the operator's cadence: a refit for every new forecast bin.
    public init(configuration: ForecastConfiguration, refitInterval: TimeInterval? = nil) {
        forecaster = DemandForecaster(configuration: configuration)
        history = DemandHistory(step: configuration.step, retention: Self.retention(for: configuration))
        requestedRefitInterval = refitInterval
    }

    /// How often the model is refitted: the requested interval, never more often than once a bin.
    public var refitInterval: TimeInterval {
        max(configuration.step, requestedRefitInterval ?? configuration.step)
    }

    public var configuration: ForecastConfiguration { forecaster.configuration }

    /// How far back the history reaches for `configuration`: its learning window plus two bins.
    public static func retention(for configuration: ForecastConfiguration) -> TimeInterval {
        configuration.history + 2 * configuration.step
    }

    /// Adopts a changed configuration (a spec edit). The history is kept when the bin size is
    /// unchanged (re-windowed to the new retention) and starts afresh otherwise, since bins cannot be
    /// re-binned faithfully; the next forecast refits from scratch.
    public mutating func reconfigure(_ configuration: ForecastConfiguration) {
        guard configuration != self.configuration else { return }
        forecaster = DemandForecaster(configuration: configuration)
        let retention = Self.retention(for: configuration)
        history = history.step == configuration.step
            ? history.retaining(retention)
            : DemandHistory(step: configuration.step, retention: retention)
        lastFit = nil
    }

    /// Adopts a history restored from storage when its bins are this source's bins (same step),
    /// re-windowed to this retention; another layout is dropped and learning starts afresh.
    /// Returns whether it was adopted.
    @discardableResult
    public mutating func adopt(restored stored: DemandHistory) -> Bool {
        guard stored.step == history.step else { return false }
        history = stored.retaining(history.retention)
        lastFit = nil
        return true
    }

    /// Fills the history's missing bins from `backfill` (own observations win where both hold a bin)
    /// and refits at the next forecast, so a pool whose past demand is known elsewhere forecasts at
    /// once. Returns whether anything was adopted (a backfill of another step is not).
    @discardableResult
    public mutating func backfill(_ bins: DemandHistory) -> Bool {
        guard bins.step == history.step, bins.observedBinCount > 0 else { return false }
        history = history.filling(from: bins)
        fitted = nil
        lastFit = nil
        return true
    }

    public mutating func record(gpus: Double, at instant: Date) {
        history.record(gpus: gpus, at: instant)
    }

    public mutating func advance(to instant: Date) {
        history.advance(to: instant)
    }

    public mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast? {
        if fitted == nil || lastFit.map({ now.timeIntervalSince($0) >= refitInterval }) ?? true {
            fitted = forecaster.fit(history: history, at: now, updating: fitted)
            lastFit = now
            fits += 1
        }
        return fitted?.forecast(at: now, horizon: horizon)
    }
}
