import Forecasting
import Foundation
import Testing
@testable import PrometheusDemand

/// The pure half of the Prometheus reader: which instants a backfill evaluates, how answers become
/// bins, and what is dropped and reported.
@Suite struct DemandReadingTests {
    let step: TimeInterval = 300

    func sample(_ time: Double, _ value: Double) -> PrometheusSample {
        PrometheusSample(time: Date(timeIntervalSince1970: time), value: value)
    }

    @Test func windowEvaluatesOneMillisecondBeforeEachBinEndsAndExcludesTheBinNowFilling() {
        // now = 10:02:30 on bin boundaries of 5 minutes: bin 120 (10:00–10:05) is filling.
        let now = Date(timeIntervalSince1970: 120 * 300 + 150)
        let window = BackfillWindow(step: step, history: 3600, now: now)
        #expect(window.endBin == 120)
        #expect(window.firstBin == 108)
        #expect(window.binCount == 12)
        // Date keeps seconds since 2001, so 1 ms before a bin end is exact only to about 1e-7 s.
        #expect(abs(window.evaluationStart.timeIntervalSince1970 - (109 * 300 - 0.001)) < 1e-6)
        #expect(abs(window.evaluationEnd.timeIntervalSince1970 - (120 * 300 - 0.001)) < 1e-6)
        #expect(window.bin(ofEvaluation: window.evaluationStart) == 108)
        #expect(window.bin(ofEvaluation: window.evaluationEnd) == 119)
        #expect(window.peakQuery("sum(x)") == "max_over_time((sum(x))[300s:60s])")
        #expect(BackfillWindow(step: 30, history: 3600, now: now).peakQuery("q") == "max_over_time((q)[30s:30s])")
    }

    @Test func binsKeepPeaksAndReportGapsNaNNegativesAndAPartialRange() throws {
        let window = BackfillWindow(step: step, history: 3600, now: Date(timeIntervalSince1970: 120 * 300))
        // Bins 108…119; Prometheus holds nothing before bin 111 (a partial range), bin 114 is a gap,
        // bin 115 NaN, bin 116 negative.
        var samples: [PrometheusSample] = []
        for bin in 111..<120 where bin != 114 {
            let value: Double = bin == 115 ? .nan : bin == 116 ? -2 : Double(bin - 100)
            samples.append(sample(Double(bin + 1) * 300 - 0.001, value))
        }
        let (history, report) = try DemandReading.bins(from: [PrometheusSeries(labels: [:], samples: samples)], window: window, retention: 7200)
        #expect(report.requestedBins == 12)
        #expect(report.filledBins == 6)
        #expect(report.missingBins == 6)
        #expect(report.nonFiniteSamples == 1)
        #expect(report.negativeSamples == 1)
        #expect(report.firstFilled == Date(timeIntervalSince1970: 111 * 300))
        #expect(report.lastFilled == Date(timeIntervalSince1970: 119 * 300))
        #expect(history.peakSeries(fromBin: 110, toBin: 120).map { $0.isNaN ? -1 : $0 } == [-1, 11, 12, 13, -1, -1, -1, 17, 18, 19])
        #expect(report.summary.contains("6 of 12 bins"))
        #expect(report.summary.contains("1 NaN/Inf dropped"))
    }

    @Test func shapesThatAreNotOneSeriesAreErrors() {
        let window = BackfillWindow(step: step, history: 3600, now: Date(timeIntervalSince1970: 120 * 300))
        #expect(throws: DemandQueryError.emptyResult) { try DemandReading.bins(from: [], window: window, retention: 7200) }
        #expect(throws: DemandQueryError.emptyResult) {
            try DemandReading.bins(from: [PrometheusSeries(labels: ["a": "1"], samples: [])], window: window, retention: 7200)
        }
        let two = [PrometheusSeries(labels: ["pod": "a"], samples: [sample(0, 1)]), PrometheusSeries(labels: ["pod": "b"], samples: [sample(0, 2)])]
        #expect(throws: DemandQueryError.multipleSeries(count: 2, first: #"{pod="a"}"#)) { try DemandReading.live(from: two) }
        #expect(throws: DemandQueryError.unusableValue(-1)) { try DemandReading.live(from: [PrometheusSeries(labels: [:], samples: [sample(0, -1)])]) }
        #expect((try? DemandReading.live(from: [PrometheusSeries(labels: [:], samples: [sample(0, 7.5)])])) == 7.5)
    }

    /// Prometheus's error JSON, whole or cut at the Kubernetes client's 1 KiB, and a proxy's HTML.
    @Test(arguments: [
        (#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \u003cEOF\u003e"}"#, 400,
         PrometheusError.api(errorType: "bad_data", message: "1:5: parse error: unexpected <EOF>", httpStatus: 400)),
        (#"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"#, 503,
         PrometheusError.api(errorType: "timeout", message: "query timed out in expression evaluation", httpStatus: 503)),
        ("<html>Bad Gateway</html>", 502, PrometheusError.api(errorType: "http_502", message: "<html>Bad Gateway</html>", httpStatus: 502)),
    ])
    func errorBodiesKeepPrometheusWords(_ body: String, _ status: Int, _ expected: PrometheusError) {
        #expect(PrometheusError.apiError(body: body, httpStatus: status) == expected)
    }

    @Test func fillingKeepsOwnObservationsAndTakesTheRestFromTheBackfill() {
        var own = DemandHistory(step: 300, retention: 3000)
        own.record(gpus: 50, at: Date(timeIntervalSince1970: 105 * 300))
        own.record(gpus: 60, at: Date(timeIntervalSince1970: 108 * 300))
        var backfill = DemandHistory(step: 300, retention: 3000)
        for bin in 100..<108 { backfill.record(gpus: Double(bin - 100), at: Date(timeIntervalSince1970: Double(bin) * 300)) }
        let merged = own.filling(from: backfill)
        #expect(own.overlap(with: backfill) == 1)
        // Retention 10 bins: bins 99…108 would be 10; the union is 100…108.
        #expect(merged.firstBin == 100)
        #expect(merged.peakSeries(fromBin: 100, toBin: 109) == [0, 1, 2, 3, 4, 50, 6, 7, 60])
        // Another step is ignored.
        #expect(own.filling(from: DemandHistory(step: 60, retention: 3000)) == own)
    }
}
