import Foundation

/// An equal-weight average of several models' raw forecasts, calibrated as one model. Averaging a
/// level-tracking model (Holt-Winters) with a shape-tracking one (the regression) cancels part of each
/// one's errors, and it is steadier than picking a single winner on a short held-out window, where the
/// pick itself is noisy.
public struct EnsembleModel: DemandModel {
    public var members: [any DemandModel]
    public var name: String

    public init(members: [any DemandModel], name: String = "ensemble") {
        self.members = members
        self.name = name
    }

    public func fit(_ series: PeakSeries, upTo end: Int) -> any FittedDemandModel {
        FittedEnsemble(members: members.map { $0.fit(series, upTo: end) }, series: series, name: name)
    }
}

struct FittedEnsemble: FittedDemandModel {
    let members: [any FittedDemandModel]
    let series: PeakSeries
    let name: String

    /// Carries every member forward; nil when any member cannot be.
    func extended(to series: PeakSeries) -> (any FittedDemandModel)? {
        var extendedMembers = [any FittedDemandModel]()
        for member in members {
            guard let extended = member.extended(to: series) else { return nil }
            extendedMembers.append(extended)
        }
        return FittedEnsemble(members: extendedMembers, series: series, name: name)
    }

    /// Averages the members' means, and their uppers where a member has its own (else its mean). A member
    /// with nothing to say for a bin (`.nan`) falls back as the calibration would, to the last observation.
    func forecast(from origin: Int, count: Int) -> ModelForecast {
        var means = [Double](repeating: 0, count: count)
        var uppers = [Double](repeating: 0, count: count)
        guard !members.isEmpty else { return ModelForecast(means: means) }
        var anyUpper = false
        for member in members {
            let raw = member.forecast(from: origin, count: count)
            anyUpper = anyUpper || raw.uppers != nil
            let filled = CalibratedModel.filled(raw, series: series, origin: origin)
            for offset in 0..<count {
                means[offset] += filled.means[offset]
                uppers[offset] += filled.uppers[offset]
            }
        }
        let share = 1 / Double(members.count)
        return ModelForecast(means: means.map { $0 * share }, uppers: anyUpper ? uppers.map { $0 * share } : nil)
    }
}
