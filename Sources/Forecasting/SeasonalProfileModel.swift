import Foundation

/// The seasonal profile: a bin is forecast from the same phase in the most recent seasons (the same
/// time yesterday, the day before, ...). Its point forecast is their median, its own upper quantile their
/// `quantile`-quantile. Simple, robust to level-free seasonal series, and the natural model for serving
/// traffic with a strong daily shape; it knows nothing about the current level, which is why it competes
/// with the regression rather than replacing it.
public struct SeasonalProfileModel: DemandModel {
    /// Season length in bins.
    public var period: Int
    /// How many recent seasons to read per phase.
    public var seasons: Int
    /// The quantile of the same-phase values used as the raw upper forecast.
    public var quantile: Double
    public var name: String

    public init(period: Int, seasons: Int, quantile: Double, name: String) {
        self.period = max(1, period)
        self.seasons = max(1, seasons)
        self.quantile = quantile
        self.name = name
    }

    public func fit(_ series: PeakSeries, upTo end: Int) -> any FittedDemandModel {
        FittedSeasonalProfile(series: series, period: period, seasons: seasons, quantile: quantile, name: name)
    }
}

/// The profile has no parameters to estimate: "fitting" keeps the series to read seasons from.
struct FittedSeasonalProfile: FittedDemandModel {
    let series: PeakSeries
    let period: Int
    let seasons: Int
    let quantile: Double
    let name: String

    /// Nothing is estimated, so carrying forward is reading the longer series.
    func extended(to series: PeakSeries) -> (any FittedDemandModel)? {
        FittedSeasonalProfile(series: series, period: period, seasons: seasons, quantile: quantile, name: name)
    }

    func forecast(from origin: Int, count: Int) -> ModelForecast {
        var means = [Double](repeating: .nan, count: count)
        var uppers = [Double](repeating: .nan, count: count)
        var phaseValues = [Double]()
        phaseValues.reserveCapacity(seasons)
        let known = min(origin, series.count)
        for offset in 0..<count {
            let target = origin + offset
            // The first season back whose phase lies before the origin.
            let firstSeason = max(1, (target - known + period) / period)
            phaseValues.removeAll(keepingCapacity: true)
            for season in firstSeason..<(firstSeason + seasons) {
                let index = target - season * period
                guard index >= 0 else { break }
                let value = series.values[index]
                if !value.isNaN { phaseValues.append(value) }
            }
            guard !phaseValues.isEmpty else { continue }
            phaseValues.sort()
            means[offset] = Quantiles.interpolated(phaseValues, 0.5) ?? .nan
            uppers[offset] = Quantiles.interpolated(phaseValues, quantile) ?? .nan
        }
        return ModelForecast(means: means, uppers: uppers)
    }
}
