import Foundation
import Testing
@testable import Traces

/// Issue #18: extreme values in a trace are refused with `FILE:LINE`, and sparse traces with long
/// gaps are read and summarised without expanding the gap step by step.
@Suite struct TraceLimitsTests {
    private func parse(_ text: String) throws(TraceFormatError) -> Trace {
        try Trace(csv: Array(text.utf8), file: "t.csv")
    }

    @Test(arguments: [
        ("timestamp_seconds,gpus\n0,1\n1e300,2\n",
         "t.csv:3: timestamp_seconds 1e300 is larger than the largest supported value, 3200000000 seconds (about 101 years)"),
        ("timestamp_seconds,gpus\n0,1e30\n", "t.csv:2: gpus 1e30 is larger than the largest supported value, 1000000"),
        ("timestamp_seconds,gpus\n0,1e400\n", #"t.csv:2: gpus "1e400" is not a number"#),
        ("submit_seconds,duration_seconds,gpus\n0,1e300,8\n",
         "t.csv:2: duration_seconds 1e300 is larger than the largest supported value, 3200000000 seconds (about 101 years)"),
        ("submit_seconds,duration_seconds,gpus\n4e9,60,8\n",
         "t.csv:2: submit_seconds 4e9 is larger than the largest supported value, 3200000000 seconds (about 101 years)"),
    ])
    func valuesBeyondTheLimitsAreRefusedWithTheirLine(text: String, message: String) {
        #expect(throws: TraceFormatError.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    /// Three rows, a 19-year gap: statistics come from at most `statisticsGridLimit` grid values,
    /// peak and mean exactly from the samples.
    @Test func aNineteenYearGapIsSummarisedOnABoundedGrid() throws {
        let gap = 19 * 365 * 86_400.0
        let trace = try parse("timestamp_seconds,gpus\n0,4\n60,8\n\(gap),2\n")
        guard case .demand(let series) = trace else { Issue.record("not a demand series"); return }
        let (step, values) = series.resampled(maxSteps: DemandSeries.statisticsGridLimit)
        #expect(values.count <= DemandSeries.statisticsGridLimit)
        #expect(86_400.truncatingRemainder(dividingBy: step) == 0, "coarse step \(step) should divide a day")
        let stats = series.statistics()
        #expect(stats.peak == 8)
        let expectedMean = (4 * 60 + 8 * (gap - 60) + 2 * 60) / (gap + 60)
        #expect(abs(stats.mean - expectedMean) < 1e-9)
    }

    /// Resampling preserves the time-weighted mean of every coarse bin.
    @Test func resamplingAveragesEachCoarseBinOverTime() throws {
        let series = try #require(DemandSeries(start: 0, step: 60, gpus: [1, 2, 3, 4, 5, 6, 7, 8]))
        let (step, values) = series.resampled(maxSteps: 4)
        #expect(step == 120)
        #expect(values == [1.5, 3.5, 5.5, 7.5])
        #expect(series.resampled(maxSteps: 100).values == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    /// A job list whose grid would be too large becomes change points; on a small list both
    /// constructions describe the same step function.
    @Test func changePointsDescribeTheSameDemandAsTheGrid() throws {
        let list = JobList(jobs: [
            TraceJob(submit: 0, duration: 125, gpus: 8), TraceJob(submit: 61, duration: 600, gpus: 2.5),
            TraceJob(submit: 61, duration: 30, gpus: 1), TraceJob(submit: 3_000, duration: 60, gpus: 4),
        ])
        let dense = try #require(list.demandSeries(step: 60))
        let sparse = try #require(list.changePoints(step: 60))
        #expect(sparse.count < dense.count)
        for minute in 0..<Int(dense.end / 60) {
            let time = Double(minute) * 60
            #expect(dense.gpus(at: time) == sparse.gpus(at: time) ?? 0, "minute \(minute)")
        }
    }

    @Test func aJobListSpanningDecadesStaysSparse() throws {
        let trace = try parse("submit_seconds,duration_seconds,gpus\n0,60,8\n3.1e9,60,4\n")
        let series = try #require(trace.demandSeries(step: 60))
        #expect(series.count <= 5)
        #expect(series.gpus(at: 0) == 8)
        #expect(series.gpus(at: 3.1e9 + 60) == 4)
        #expect(series.statistics().peak == 8)
    }
}
