import Forecasting
import Foundation

extension PrometheusClient {
    /// The peaks of `historyQuery` in every completed bin of the `history` window before `now`, as a
    /// history of `step` bins kept for `retention`, and what was found. One range request per 10,000
    /// bins.
    public func backfill(historyQuery: String, step: TimeInterval, history: TimeInterval, retention: TimeInterval,
                         now: Date) async throws(DemandQueryError) -> (history: DemandHistory, report: BackfillReport) {
        let window = BackfillWindow(step: step, history: history, now: now)
        let series: [PrometheusSeries]
        do {
            series = try await queryRange(window.peakQuery(historyQuery), start: window.evaluationStart, end: window.evaluationEnd, step: step)
        } catch {
            throw .prometheus(error)
        }
        return try DemandReading.bins(from: series, window: window, retention: retention)
    }

    /// The current value of `query`: the live demand of a `HistoryAndLive` pool.
    public func liveDemand(_ query: String, at now: Date) async throws(DemandQueryError) -> Double {
        let series: [PrometheusSeries]
        do {
            series = try await self.query(query, at: now)
        } catch {
            throw .prometheus(error)
        }
        return try DemandReading.live(from: series)
    }

    /// `query` sampled every `step` from `start` to `end` (the raw values, not bin peaks): what `fleetcast
    /// trace export` writes and `simulate`/`forecast --prometheus` read. Unusable samples are dropped
    /// and counted.
    public func demandSamples(_ query: String, from start: Date, to end: Date,
                              step: TimeInterval) async throws(DemandQueryError) -> (samples: [PrometheusSample], dropped: Int) {
        let series: [PrometheusSeries]
        do {
            series = try await queryRange(query, start: start, end: end, step: step)
        } catch {
            throw .prometheus(error)
        }
        let all = try DemandReading.single(series)
        let usable = all.filter { $0.value.isFinite && $0.value >= 0 }
        guard !usable.isEmpty else { throw .emptyResult }
        return (usable, all.count - usable.count)
    }
}
