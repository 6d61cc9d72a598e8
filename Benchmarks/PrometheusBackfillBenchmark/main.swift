import FleetcastTesting
import Forecasting
import Foundation
import PrometheusDemand

// Backfill of 14 days of 5-minute bins (4,032 per pool) from a real Prometheus, end to end: the range
// query over HTTP (libcurl), decoding, binning, the merge under a pool's own history, and the fit that
// makes the forecast Ready. Then the same for 100 pools at once (the operator's start with 100 pools).
// Usage: PrometheusBackfillBenchmark TRACE.csv [repetitions]   (hack/bench/prometheus-backfill.sh)

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: PrometheusBackfillBenchmark TRACE.csv [repetitions]\n".utf8))
    exit(2)
}
let repetitions = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let week: TimeInterval = 7 * 86_400
let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / week).rounded(.down) * week)
let anchor = now.addingTimeInterval(-2 * week)
let configuration = ForecastConfiguration.standard
let retention = LearnedForecasts.retention(for: configuration)

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

let setupStart = ContinuousClock.now
let blocks = try await TraceBlocks.blocks(trace: arguments[1], anchor: anchor, days: 14)
let server = try await PrometheusServer.start(blocks: blocks)
defer { server.stop() }
print("setup (promtool blocks + Prometheus ready): \(String(format: "%.1f", milliseconds(ContinuousClock.now - setupStart) / 1000)) s")
let client = try PrometheusClient(configuration: PrometheusConfiguration(url: server.url, timeout: 120))

// Warm-up: Prometheus loads the block chunks into its page cache on the first query.
_ = try await client.backfill(historyQuery: TraceBlocks.query, step: configuration.step, history: configuration.history,
                              retention: retention, now: now)

var query: [Double] = [], merge: [Double] = [], fit: [Double] = [], total: [Double] = []
var bins = 0
for _ in 0..<repetitions {
    let clock = ContinuousClock()
    let started = clock.now
    let (backfill, report) = try await client.backfill(historyQuery: TraceBlocks.query, step: configuration.step,
                                                       history: configuration.history, retention: retention, now: now)
    let fetched = clock.now
    var forecasts = LearnedForecasts(configuration: configuration)
    forecasts.backfill(backfill)
    let merged = clock.now
    let forecast = forecasts.forecast(at: now, horizon: 3600)
    let done = clock.now
    precondition(forecast?.readiness == .ready, "the backfilled forecast is not ready")
    bins = report.filledBins
    query.append(milliseconds(fetched - started))
    merge.append(milliseconds(merged - fetched))
    fit.append(milliseconds(done - merged))
    total.append(milliseconds(done - started))
}
print("one pool, \(bins) bins, median of \(repetitions): query+decode+bin \(String(format: "%.1f", median(query))) ms, "
      + "merge \(String(format: "%.2f", median(merge))) ms, fit \(String(format: "%.1f", median(fit))) ms, "
      + "total \(String(format: "%.1f", median(total))) ms")

// 100 pools backfilled concurrently through one client (the operator's shared client), query only, then
// the 100 fits one after another (the operator's two workers would run two at a time).
let pools = 100
let clock = ContinuousClock()
let started = clock.now
let histories = try await withThrowingTaskGroup(of: DemandHistory.self) { group in
    for _ in 0..<pools {
        group.addTask {
            try await client.backfill(historyQuery: TraceBlocks.query, step: configuration.step, history: configuration.history,
                                      retention: retention, now: now).history
        }
    }
    var all: [DemandHistory] = []
    for try await history in group { all.append(history) }
    return all
}
let fetched = clock.now
for history in histories {
    var forecasts = LearnedForecasts(configuration: configuration)
    forecasts.backfill(history)
    precondition(forecasts.forecast(at: now, horizon: 3600)?.readiness == .ready)
}
let done = clock.now
print("\(pools) pools: backfill queries \(String(format: "%.2f", milliseconds(fetched - started) / 1000)) s, "
      + "fits \(String(format: "%.2f", milliseconds(done - fetched) / 1000)) s, total \(String(format: "%.2f", milliseconds(done - started) / 1000)) s")
