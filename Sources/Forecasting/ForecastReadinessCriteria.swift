import Foundation

/// When a learned forecast may be planned on. The thresholds are deliberately lenient on accuracy and
/// strict on evidence: a forecast that has not seen one full longest season cannot know the week, and
/// one whose recent upper quantile misses far more often than it claims would under-provision.
public struct ForecastReadinessCriteria: Sendable, Hashable {
    /// History needed, in multiples of the longest configured seasonality.
    public var minimumSeasons = 1.0
    /// Recent window whose bins must mostly be observed, in seconds.
    public var recentWindow: TimeInterval = 86_400
    /// Share of the recent window's bins that must be observed.
    public var minimumObservedShare = 0.8
    /// How far realised coverage of the upper quantile may fall below the nominal quantile.
    public var coverageTolerance = 0.15
    /// Highest acceptable WAPE of the mean.
    public var maximumWAPE = 0.5
    /// Fewest realised points before accuracy is judged at all.
    public var minimumAccuracyPoints = 24

    public init() {}

    /// The verdict from the evidence: insufficient history first (nothing else matters without it), then
    /// poor coverage of the recent window, then poor realised accuracy.
    public func verdict(observedSpan: TimeInterval, longestSeasonality: TimeInterval,
                        recentObservedShare: Double, accuracy: ForecastAccuracy?) -> ForecastReadiness {
        if observedSpan < minimumSeasons * longestSeasonality || observedSpan <= 0 {
            return .notReady(.insufficientHistory)
        }
        if recentObservedShare < minimumObservedShare {
            return .notReady(.poorCoverage)
        }
        if let accuracy, !isAccurate(accuracy) {
            return .notReady(.poorAccuracy)
        }
        return .ready
    }

    /// Whether realised accuracy is good enough (true when there is too little of it to judge).
    public func isAccurate(_ accuracy: ForecastAccuracy) -> Bool {
        guard accuracy.count >= minimumAccuracyPoints else { return true }
        if let coverage = accuracy.coverage, coverage < accuracy.quantile - coverageTolerance { return false }
        if let wape = accuracy.wape, wape > maximumWAPE { return false }
        if accuracy.wape == nil { return false }
        return true
    }
}
