import Foundation

/// Which models a history can support: a seasonality is learned only once the history holds two of its
/// seasons (one season cannot tell a pattern from an accident), a profile needs one.
struct ModelCandidates {
    let configuration: ForecastConfiguration
    let step: TimeInterval

    /// Candidate models for an observed span of `span` bins, in preference order (used when there is too
    /// little history to choose by backtest). Restricting to the ensemble alone keeps its members out of the
    /// choice but still fits them inside it.
    func models(span: Int) -> [any DemandModel] {
        let periods = configuration.seasonalPeriods(step: step)
        let learnable = periods.filter { span >= 2 * $0 }
        let leads = configuration.calibrationLeads(step: step)
        let quantile = configuration.safeQuantile
        var models = [any DemandModel]()
        let harmonics = learnable.map { period in
            Double(period) * step <= 86_400 ? min(10, period / 4) : 6
        }
        let regression = SeasonalRegressionModel(periods: learnable, harmonics: harmonics, anchorLeads: leads)
        let holtWinters = HoltWintersModel(period: learnable.first)
        models.append(EnsembleModel(members: [regression, holtWinters]))
        models.append(regression)
        models.append(holtWinters)
        for period in periods where span >= period {
            let seasons = min(span / period, Double(period) * step <= 86_400 ? 7 : 3)
            models.append(SeasonalProfileModel(period: period, seasons: seasons, quantile: quantile,
                                               name: "profile-\(Self.label(seconds: Double(period) * step))"))
        }
        let kinds = configuration.models
        guard !kinds.isEmpty else { return models }
        return models.filter { model in
            kinds.contains { kind in
                switch kind {
                case .seasonalProfile: model is SeasonalProfileModel
                case .seasonalRegression: model is SeasonalRegressionModel
                case .holtWinters: model is HoltWintersModel
                case .ensemble: model is EnsembleModel
                }
            }
        }
    }

    /// "24h", "168h", "90m", "45s": the period as people write it.
    static func label(seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}

extension ForecastConfiguration {
    /// Seasonal periods in whole bins of `step`, shortest first, duplicates and periods under two bins dropped.
    func seasonalPeriods(step: TimeInterval) -> [Int] {
        Array(Set(seasonalities.compactMap { period -> Int? in
            guard period.isFinite, period > 0 else { return nil }
            let bins = Int((period / step).rounded())
            return bins >= 2 ? bins : nil
        })).sorted()
    }

    func calibrationLeads(step: TimeInterval) -> Int {
        max(1, Int(((calibrationHorizon.isFinite ? calibrationHorizon : 0) / step).rounded(.up)))
    }

    func bins(_ duration: TimeInterval, step: TimeInterval) -> Int {
        max(0, Int(((duration.isFinite ? duration : 0) / step).rounded(.down)))
    }
}
