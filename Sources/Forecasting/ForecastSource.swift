import Foundation

/// Where a decision loop gets its forecast. The production source (`LearnedForecasts`) learns from
/// the demand it has seen so far and refits on the operator's cadence; tests and the demo's
/// comparison plug in a source that knows the future.
public protocol ForecastSource: Sendable {
    /// Records the demand observed at `instant` (only ever the past and present).
    mutating func record(gpus: Double, at instant: Date)
    /// Marks time up to `instant` as passed, observed or not, so a gap reads as missing bins.
    mutating func advance(to instant: Date)
    /// A forecast from `now` covering at least `horizon` seconds, or `nil` when there is none yet.
    mutating func forecast(at now: Date, horizon: TimeInterval) -> Forecast?
}

extension ForecastSource {
    public mutating func advance(to instant: Date) {}
}
