import Foundation

/// The result of `DemandForecaster.fit`: immutable and cheap to query. `forecast` reads a few precomputed
/// numbers and adds declared schedules, so the planner and the simulator may call it every step.
public struct FittedDemandForecaster: Sendable {
    public let configuration: ForecastConfiguration
    /// When the fit was made; the learned part of the forecast knows nothing after it.
    public let fittedAt: Date
    /// Bin width of the forecast, in seconds.
    public let step: TimeInterval
    /// The readiness verdict from the history and the held-out backtest.
    public let readiness: ForecastReadiness
    /// Every candidate's held-out accuracy, best-first order not implied.
    public let scores: [ModelScore]
    /// Absolute index of the first bin the fitted history does not contain.
    let originBin: Int
    /// When the model was chosen and its parameters estimated (a carried-forward fit keeps the original).
    let estimation: Estimation
    let calibrated: CalibratedModel?
    /// Forecast from the fit origin over the calibrated leads, computed once.
    let cached: (means: [Double], uppers: [Double])

    init(configuration: ForecastConfiguration, fittedAt: Date, step: TimeInterval, originBin: Int,
         calibrated: CalibratedModel?, readiness: ForecastReadiness, scores: [ModelScore], estimation: Estimation) {
        self.configuration = configuration
        self.estimation = estimation
        self.fittedAt = fittedAt
        self.step = step
        self.originBin = originBin
        self.calibrated = calibrated
        self.readiness = readiness
        self.scores = scores
        if let calibrated {
            cached = calibrated.forecast(from: calibrated.series.count, count: configuration.calibrationLeads(step: step))
        } else {
            cached = ([], [])
        }
    }

    /// When the model was last chosen and its parameters estimated; `fittedAt` when this fit did it.
    public var estimatedAt: Date { estimation.at }

    /// The facts about the last full estimation that a carried-forward fit keeps.
    struct Estimation: Sendable {
        /// When it ran.
        var at: Date
        /// Bins of history it learned from.
        var span: Int
        /// The chosen model's held-out accuracy, when there was enough history to hold some out.
        var validation: ForecastAccuracy?
    }

    /// Name of the chosen model, or "none" when there was no history to learn from.
    public var model: String { calibrated?.name ?? "none" }

    /// Per-bin peak demand from the bin containing `now` until `now + horizon`, with declared schedules
    /// added on top. The learned part is zero (and `readiness` not ready) when nothing was learned.
    public func forecast(at now: Date, horizon: TimeInterval) -> Forecast {
        let firstBin = Int((now.timeIntervalSince1970 / step).rounded(.down))
        let origin = Date(timeIntervalSince1970: Double(firstBin) * step)
        let span = now.addingTimeInterval(max(horizon.isFinite ? horizon : 0, 0)).timeIntervalSince(origin)
        let count = max(1, Int((span / step).rounded(.up)))
        let (means, uppers) = learned(fromBin: firstBin, count: count)
        var points = (0..<count).map { index in
            ForecastPoint(start: origin.addingTimeInterval(Double(index) * step), mean: means[index], upper: uppers[index])
        }
        let windows = configuration.schedules.addDemand(to: &points, step: step)
        return Forecast(model: model, origin: origin, step: step, quantile: configuration.safeQuantile,
                        readiness: readiness, points: points, scheduledWindows: windows)
    }

    /// Readiness from the fit combined with accuracy realised since (tracked by the caller).
    public func readiness(given realised: ForecastAccuracy) -> ForecastReadiness {
        guard readiness.isReady else { return readiness }
        return configuration.readiness.isAccurate(realised) ? .ready : .notReady(.poorAccuracy)
    }

    private func learned(fromBin first: Int, count: Int) -> (means: [Double], uppers: [Double]) {
        guard let calibrated else {
            return ([Double](repeating: 0, count: count), [Double](repeating: 0, count: count))
        }
        let offset = first - originBin
        if offset >= 0, offset + count <= cached.means.count {
            return (Array(cached.means[offset..<(offset + count)]), Array(cached.uppers[offset..<(offset + count)]))
        }
        if offset >= 0 {
            let full = calibrated.forecast(from: calibrated.series.count, count: offset + count)
            return (Array(full.means[offset...]), Array(full.uppers[offset...]))
        }
        // Asked about a time before the fit: forecast from that earlier origin with what was known then.
        return calibrated.forecast(from: calibrated.series.count + offset, count: count)
    }
}
