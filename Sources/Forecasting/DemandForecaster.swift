import Foundation

/// Learns a pool's demand from its history and hands back an immutable fitted forecaster.
///
/// `fit` is the expensive part (a few milliseconds per pool): it backtests every candidate model on the
/// most recent part of the history, keeps the one with the lowest pinball loss at the planning quantile,
/// refits it on the whole history, and calibrates its upper quantile per lead. Run it on a cadence
/// (minutes); call `FittedDemandForecaster.forecast` every step in between.
public struct DemandForecaster: Sendable {
    public let configuration: ForecastConfiguration

    public init(configuration: ForecastConfiguration) {
        self.configuration = configuration
    }

    /// Fits on the complete bins of `history` before `now` (the bin containing `now` is still filling).
    /// The history's own step wins over the configuration's: models work in the history's bins.
    public func fit(history: DemandHistory, at now: Date) -> FittedDemandForecaster {
        let step = history.step
        let quantile = configuration.safeQuantile
        let endBin = history.binIndex(of: now)
        let startBin = endBin - max(1, configuration.bins(configuration.history, step: step))
        var series = PeakSeries(firstBin: startBin, step: step,
                                  values: history.peakSeries(fromBin: startBin, toBin: endBin))
        if let first = series.firstObservedIndex, first > 0 {
            series = PeakSeries(firstBin: startBin + first, step: step, values: Array(series.values[first...]))
        } else if series.firstObservedIndex == nil {
            series = PeakSeries(firstBin: endBin, step: step, values: [])
        }
        series.removeScheduledDemand(configuration.schedules)
        let span = series.count
        let leads = configuration.calibrationLeads(step: step)
        let candidates = ModelCandidates(configuration: configuration, step: step).models(span: span)
        let selection = span > 0 ? select(from: candidates, series: series, leads: leads, quantile: quantile) : nil
        let calibrated = selection.map { chosen in
            var fits = [String: any FittedDemandModel]()
            return calibrate(fit(chosen.model, series, upTo: span, reusing: &fits), series: series, end: span,
                             leads: leads, quantile: quantile)
        }
        return FittedDemandForecaster(
            configuration: configuration, fittedAt: now, step: step, originBin: endBin, calibrated: calibrated,
            readiness: readiness(of: series, validation: selection?.validation),
            scores: selection?.scores ?? [], estimation: .init(at: now, span: span, validation: selection?.validation))
    }

    /// Refits on the operator's cadence at a fraction of the cost of `fit(history:at:)`: while `previous`
    /// is recent enough (see `ForecastConfiguration.reestimationInterval`), its chosen model, parameters
    /// and calibrated margins are kept and only carried forward over the bins completed since, so every
    /// forecast still starts from the latest observations (Holt-Winters level, regression anchor, recent
    /// seasons). Model selection, parameter estimation and calibration then run again once the interval
    /// has passed, or at once when `previous` cannot be carried (another configuration or step, a gap
    /// longer than the history, a model that does not support it). With no `previous`, a full fit.
    public func fit(history: DemandHistory, at now: Date, updating previous: FittedDemandForecaster?) -> FittedDemandForecaster {
        guard let previous, let updated = carry(previous, history: history, at: now) else {
            return fit(history: history, at: now)
        }
        return updated
    }

    /// `previous` carried forward over the bins completed since its origin, or nil when it is due for
    /// re-estimation or cannot be carried.
    func carry(_ previous: FittedDemandForecaster, history: DemandHistory, at now: Date) -> FittedDemandForecaster? {
        let step = history.step
        let endBin = history.binIndex(of: now)
        guard previous.configuration == configuration, previous.step == step, let calibrated = previous.calibrated,
              endBin >= previous.originBin, now >= previous.estimation.at,
              now.timeIntervalSince(previous.estimation.at) < reestimationInterval(afterSpan: previous.estimation.span, step: step),
              Double(endBin - previous.originBin) * step <= configuration.history
        else { return nil }
        var series = calibrated.series
        if endBin > previous.originBin {
            var added = PeakSeries(firstBin: previous.originBin, step: step,
                                   values: history.peakSeries(fromBin: previous.originBin, toBin: endBin))
            added.removeScheduledDemand(configuration.schedules)
            series.values.append(contentsOf: added.values)
        }
        guard let carried = calibrated.extended(to: series) else { return nil }
        return FittedDemandForecaster(
            configuration: configuration, fittedAt: now, step: step, originBin: endBin, calibrated: carried,
            readiness: readiness(of: series, validation: previous.estimation.validation),
            scores: previous.scores, estimation: previous.estimation)
    }

    /// How long a fit's estimates are carried before they are made again. A young history (shorter than
    /// the configured interval) is re-estimated once it has grown by as much again, so a pool that has
    /// just started learning moves to a real model within hours, not a day; later, once per interval.
    func reestimationInterval(afterSpan span: Int, step: TimeInterval) -> TimeInterval {
        min(configuration.reestimationInterval, max(step, Double(span) * step))
    }

    /// The readiness verdict for a fitted series: enough history, recent bins mostly observed, and
    /// acceptable held-out accuracy (when there was enough history to hold some out).
    func readiness(of series: PeakSeries, validation: ForecastAccuracy?) -> ForecastReadiness {
        let step = series.step
        let span = series.count
        let recentBins = max(1, configuration.bins(configuration.readiness.recentWindow, step: step))
        let recentShare = span == 0 ? 0
            : Double(series.observedCount(in: (span - recentBins)..<span)) / Double(min(recentBins, span))
        let longest = configuration.seasonalPeriods(step: step).last.map { Double($0) * step } ?? step
        return configuration.readiness.verdict(
            observedSpan: Double(span) * step, longestSeasonality: longest,
            recentObservedShare: recentShare, accuracy: validation)
    }

    /// Backtests every candidate on the held-out tail and returns the best, or the first candidate when
    /// the history is too short to hold anything out.
    func select(from candidates: [any DemandModel], series: PeakSeries, leads: Int,
                quantile: Double) -> (model: any DemandModel, validation: ForecastAccuracy?, scores: [ModelScore])? {
        guard let preferred = candidates.first else { return nil }
        let span = series.count
        let validationBins = min(configuration.bins(configuration.validation, step: series.step), span / 4)
        guard candidates.count > 1 || validationBins >= leads, validationBins >= leads else {
            return (preferred, nil, [])
        }
        let trainEnd = span - validationBins
        let stride = max(1, validationBins / 96)
        var best: (model: any DemandModel, validation: ForecastAccuracy, loss: Double)?
        var scores = [ModelScore]()
        var fits = [String: any FittedDemandModel]()
        for candidate in candidates {
            let calibrated = calibrate(fit(candidate, series, upTo: trainEnd, reusing: &fits), series: series,
                                       end: trainEnd, leads: leads, quantile: quantile, origins: 200)
            let accuracy = calibrated.accuracy(origins: Swift.stride(from: trainEnd, to: span, by: stride),
                                               end: span, leads: leads, quantile: quantile)
            scores.append(ModelScore(model: candidate.name, accuracy: accuracy))
            // The preferred (first) candidate keeps its place unless another is clearly better: a short
            // held-out window ranks close models by chance, and switching on noise costs more than it wins.
            let loss = accuracy.pinball ?? .infinity
            let handicap = best == nil ? 1 : 1 + configuration.selectionMargin
            if best == nil || loss * handicap < best?.loss ?? .infinity { best = (candidate, accuracy, loss) }
        }
        guard let best else { return (preferred, nil, scores) }
        return (best.model, best.validation, scores)
    }

    /// Fits `model`, reusing fits already made on the same data: an ensemble's members are usually
    /// candidates in their own right, and fitting them twice would double the cost of a refit.
    func fit(_ model: any DemandModel, _ series: PeakSeries, upTo end: Int,
             reusing fits: inout [String: any FittedDemandModel]) -> any FittedDemandModel {
        if let fitted = fits[model.name] { return fitted }
        let fitted: any FittedDemandModel
        if let ensemble = model as? EnsembleModel {
            let members = ensemble.members.map { fit($0, series, upTo: end, reusing: &fits) }
            fitted = FittedEnsemble(members: members, series: series, name: ensemble.name)
        } else {
            fitted = model.fit(series, upTo: end)
        }
        fits[model.name] = fitted
        return fitted
    }

    /// Calibration origins: spread over the most recent `calibrationWindow` of the fitted range (errors
    /// drift, and recent ones say more about the next hours), after a warm-up (the first season has no
    /// season before it to learn from), at most about `origins` of them (fewer while choosing a model,
    /// where margins only need to rank candidates, than for the model that is kept).
    func calibrate(_ fitted: any FittedDemandModel, series: PeakSeries, end: Int, leads: Int,
                   quantile: Double, origins: Int = 400) -> CalibratedModel {
        let shortest = configuration.seasonalPeriods(step: series.step).first ?? 1
        let recent = end - max(configuration.bins(configuration.calibrationWindow, step: series.step), leads)
        let first = max(min(shortest, end / 3), recent, 1)
        let stride = max(1, (end - first) / max(origins, 1))
        return CalibratedModel(fitted: fitted, series: series,
                               origins: Swift.stride(from: first, to: end, by: stride),
                               end: end, leads: leads, quantile: quantile)
    }
}

/// How one candidate model did on the held-out tail of the history.
public struct ModelScore: Sendable, Hashable {
    public var model: String
    public var accuracy: ForecastAccuracy
}
