import Forecasting
import Foundation

/// The GPUs a pool may need over a window of time, and what sets that number.
struct DemandNeed: Sendable, Hashable {
    var gpus: Double
    var driver: DemandDriver
    /// The instant the need peaks (the window start when demand now dominates).
    var peakAt: Date
}

/// How much demand a window of time may bring: the learned forecast's upper quantile when it can be
/// trusted, otherwise demand now plus the declared schedules that start inside the window. Demand now
/// is always a floor, so a forecast that undershoots never removes capacity running work needs.
enum DemandWindow {
    /// Which of the forecast's values a need reads: its planned quantile (`upper`, every running-only
    /// plan) or its `mean` (the running tier of a pool with standby, whose spread standby covers).
    enum Level: Sendable, Hashable {
        case upper, mean
    }

    static func need(demandNow: Double, forecast: Forecast?, useForecast: Bool, from start: Date, to end: Date,
                     level: Level = .upper) -> DemandNeed {
        let floor = DemandNeed(gpus: demandNow, driver: demandNow > 0 ? .currentDemand : .none, peakAt: start)
        guard let forecast else { return floor }
        let ahead = useForecast
            ? forecastPeak(forecast, from: start, to: end, level: level,
                           surplus: max(0, demandNow - value(forecast, level, from: start, to: start.addingTimeInterval(forecast.step))))
            : schedulePeak(forecast.scheduledWindows, demandNow: demandNow, from: start, to: end)
        guard let ahead, ahead.gpus > demandNow else { return floor }
        return ahead
    }

    /// The bin with the highest upper quantile overlapping `[start, end)`; schedules are already in it.
    /// When demand now already exceeds the forecast for now, the forecast is running low (a busier
    /// day than the model expected), and the whole window is raised by that `surplus`: forecast errors
    /// persist for longer than a node takes to start.
    private static func forecastPeak(_ forecast: Forecast, from start: Date, to end: Date, level: Level, surplus: Double) -> DemandNeed? {
        var best: (gpus: Double, at: Date)?
        for point in forecast.points {
            let binEnd = point.start.addingTimeInterval(forecast.step)
            guard binEnd > start else { continue }
            guard point.start < end else { break }
            let gpus = (level == .upper ? point.upper : point.mean) + surplus
            if let current = best, gpus <= current.gpus { continue }
            best = (gpus, max(point.start, start))
        }
        guard let best else { return nil }
        if let window = largestWindow(forecast.scheduledWindows, activeAt: best.at) {
            return DemandNeed(gpus: best.gpus, driver: .schedule(name: window.name, startsAt: window.start), peakAt: best.at)
        }
        return DemandNeed(gpus: best.gpus, driver: .forecast(peakAt: best.at), peakAt: best.at)
    }

    private static func value(_ forecast: Forecast, _ level: Level, from start: Date, to end: Date) -> Double {
        level == .upper ? forecast.peakUpper(from: start, to: end) : forecast.peakMean(from: start, to: end)
    }

    /// Without a trusted forecast, demand not explained by a running schedule is assumed to stay
    /// where it is; schedules starting inside the window add their GPUs on top.
    /// A `floor` window holds the level at its GPUs at least; `add` windows add theirs.
    private static func schedulePeak(_ windows: [ScheduledWindow], demandNow: Double, from start: Date, to end: Date) -> DemandNeed? {
        let relevant = windows.filter { $0.raisesDemand && $0.end > start && $0.start < end }
        guard !relevant.isEmpty else { return nil }
        let base = max(0, demandNow - addedGPUs(relevant, at: start))
        var best: DemandNeed?
        let instants = [start] + relevant.map(\.start).filter { $0 > start }
        for instant in instants {
            let floor = relevant.filter { $0.mode == .floor && $0.isOpen(at: instant) }.map(\.gpus).max() ?? 0
            let total = max(base + addedGPUs(relevant, at: instant), floor)
            if let current = best, total <= current.gpus { continue }
            guard let window = largestWindow(relevant, activeAt: instant) else { continue }
            best = DemandNeed(gpus: total, driver: .schedule(name: window.name, startsAt: window.start), peakAt: instant)
        }
        return best
    }

    private static func addedGPUs(_ windows: [ScheduledWindow], at instant: Date) -> Double {
        windows.reduce(0) { $0 + ($1.mode == .add && $1.isOpen(at: instant) ? $1.gpus : 0) }
    }

    /// The demand-raising window open at `instant` with the most GPUs: the one a need is attributed to.
    private static func largestWindow(_ windows: [ScheduledWindow], activeAt instant: Date) -> ScheduledWindow? {
        windows.filter { $0.raisesDemand && $0.isOpen(at: instant) }.max { $0.gpus < $1.gpus }
    }
}
