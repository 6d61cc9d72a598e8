import Forecasting
import Foundation

/// Which bins a backfill asks Prometheus for, and how: the completed bins of the `history` window
/// before `now` (the bin now filling is the operator's own), each read as the peak of the query
/// inside it.
///
/// The peak of bin `[k·step, (k+1)·step)` is `max_over_time((Q)[step:resolution])` evaluated at
/// `(k+1)·step − 1 ms`: the subquery evaluates `Q` at the multiples of `resolution` in
/// `(k·step − 1 ms, (k+1)·step − 1 ms]`, i.e. at `k·step, k·step + resolution, …` — exactly the
/// instants inside the bin, as the operator's own bins are left-closed. `resolution` is one minute
/// (or the step, when shorter): finer than every default scrape interval's bins and cheap enough for
/// 14 days of 5-minute bins in one request.
public struct BackfillWindow: Sendable, Hashable {
    public var step: TimeInterval
    /// First bin asked for (inclusive) and the bin now filling (exclusive).
    public var firstBin: Int
    public var endBin: Int

    public init(step: TimeInterval, history: TimeInterval, now: Date) {
        self.step = step
        endBin = Int((now.timeIntervalSince1970 / step).rounded(.down))
        firstBin = endBin - max(1, Int((history / step).rounded(.down)))
    }

    public var binCount: Int { endBin - firstBin }

    /// Evaluation instants of the range query: one per bin, 1 ms before the bin's end.
    public var evaluationStart: Date { Date(timeIntervalSince1970: Double(firstBin + 1) * step - Self.epsilon) }
    public var evaluationEnd: Date { Date(timeIntervalSince1970: Double(endBin) * step - Self.epsilon) }

    /// The bin an evaluation instant belongs to.
    public func bin(ofEvaluation time: Date) -> Int {
        Int(((time.timeIntervalSince1970 + Self.epsilon) / step).rounded()) - 1
    }

    static let epsilon = 0.001

    /// Resolution of the peak subquery.
    public var resolution: TimeInterval { min(step, 60) }

    /// `historyQuery` wrapped so each evaluation returns the peak inside one bin.
    public func peakQuery(_ historyQuery: String) -> String {
        "max_over_time((\(historyQuery))[\(PrometheusClient.duration(step)):\(PrometheusClient.duration(resolution))])"
    }
}

/// What a backfill found, for the pool's condition, its event and the logs: how much of the window
/// Prometheus held, and what was dropped on the way.
public struct BackfillReport: Sendable, Hashable {
    /// Bins asked for and bins that came back with a usable peak.
    public var requestedBins: Int
    public var filledBins: Int
    /// Samples dropped: NaN or infinite (a division by zero in the query), and negative (a `delta`
    /// or `deriv` across a counter reset; demand is never below zero).
    public var nonFiniteSamples: Int
    public var negativeSamples: Int
    /// First and last bin with a value: a series younger than the window starts late (a partial range).
    public var firstFilled: Date?
    public var lastFilled: Date?
    /// Bins the pool had observed itself, which won over Prometheus's (set by the operator on merge).
    public var ownBinsKept = 0

    /// Bins inside the window with no usable sample: scrape gaps, stale series, dropped samples.
    public var missingBins: Int { requestedBins - filledBins }

    public var summary: String {
        var parts = ["\(filledBins) of \(requestedBins) bins"]
        if let firstFilled, let lastFilled {
            parts[0] += " (\(Self.format(firstFilled)) to \(Self.format(lastFilled)))"
        }
        if missingBins > 0 { parts.append("\(missingBins) missing") }
        if nonFiniteSamples > 0 { parts.append("\(nonFiniteSamples) NaN/Inf dropped") }
        if negativeSamples > 0 { parts.append("\(negativeSamples) negative dropped") }
        if ownBinsKept > 0 { parts.append("\(ownBinsKept) own bins kept") }
        return parts.joined(separator: ", ")
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// Why Prometheus gave no usable demand: its own error, or an answer of the wrong shape.
public enum DemandQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    case prometheus(PrometheusError)
    /// No series (or no sample) came back: the metric does not exist or nothing matched.
    case emptyResult
    /// The query returned several series; a pool's demand is one number, so it must be aggregated.
    case multipleSeries(count: Int, first: String)
    /// The live value was NaN, infinite or negative.
    case unusableValue(Double)

    public var description: String {
        switch self {
        case .prometheus(let error): error.description
        case .emptyResult: "the query returned no samples"
        case .multipleSeries(let count, let first):
            "the query returned \(count) series (first \(first)); aggregate it to one, e.g. with sum(...)"
        case .unusableValue(let value): "the query's value \(value) is not a demand (NaN, infinite or negative)"
        }
    }
}

/// Turns Prometheus answers into demand. Pure: the network is `PrometheusClient`'s.
public enum DemandReading {
    /// The bins of `window` from a range query of `window.peakQuery(_)`: one history of `step` bins
    /// holding each bin's peak (its mean is the peak too: Prometheus is asked for peaks only, and
    /// forecasts learn from peaks), plus what was found and dropped.
    public static func bins(from series: [PrometheusSeries], window: BackfillWindow,
                            retention: TimeInterval) throws(DemandQueryError) -> (history: DemandHistory, report: BackfillReport) {
        let samples = try single(series)
        var history = DemandHistory(step: window.step, retention: retention)
        var report = BackfillReport(requestedBins: window.binCount, filledBins: 0, nonFiniteSamples: 0, negativeSamples: 0)
        var seen = Set<Int>()
        for sample in samples {
            let bin = window.bin(ofEvaluation: sample.time)
            guard bin >= window.firstBin, bin < window.endBin else { continue }
            guard sample.value.isFinite else { report.nonFiniteSamples += 1; continue }
            guard sample.value >= 0 else { report.negativeSamples += 1; continue }
            let start = history.date(ofBin: bin)
            history.record(gpus: sample.value, at: start)
            if seen.insert(bin).inserted {
                report.filledBins += 1
                report.firstFilled = min(report.firstFilled ?? start, start)
                report.lastFilled = max(report.lastFilled ?? start, start)
            }
        }
        guard report.filledBins > 0 || report.nonFiniteSamples + report.negativeSamples > 0 else { throw .emptyResult }
        return (history, report)
    }

    /// The current value of an instant query: exactly one finite, non-negative sample.
    public static func live(from series: [PrometheusSeries]) throws(DemandQueryError) -> Double {
        guard let sample = try single(series).last else { throw .emptyResult }
        guard sample.value.isFinite, sample.value >= 0 else { throw .unusableValue(sample.value) }
        return sample.value
    }

    /// The samples of the one series a demand query must return.
    static func single(_ series: [PrometheusSeries]) throws(DemandQueryError) -> [PrometheusSample] {
        let nonEmpty = series.filter { !$0.samples.isEmpty }
        guard let first = nonEmpty.first else { throw .emptyResult }
        guard nonEmpty.count == 1 else { throw .multipleSeries(count: nonEmpty.count, first: first.labelText) }
        return first.samples
    }
}
