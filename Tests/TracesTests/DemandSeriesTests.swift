import Testing
import Traces

@Suite struct DemandSeriesTests {
    @Test func invalidSeriesAreRefused() {
        #expect(DemandSeries(times: [], gpus: []) == nil)
        #expect(DemandSeries(times: [0, 60], gpus: [1]) == nil)
        #expect(DemandSeries(times: [0, 0], gpus: [1, 1]) == nil)
        #expect(DemandSeries(times: [60, 0], gpus: [1, 1]) == nil)
        #expect(DemandSeries(times: [0], gpus: [-1]) == nil)
        #expect(DemandSeries(times: [0], gpus: [.nan]) == nil)
        #expect(DemandSeries(step: 0, gpus: [1]) == nil)
    }

    @Test func valueAtATimeIsAStepFunction() throws {
        let series = try #require(DemandSeries(times: [0, 60, 180], gpus: [1, 2, 3]))
        #expect(series.step == 60)
        #expect(series.span == 240)
        #expect(!series.isRegular)
        let probes: [(Double, Double?)] = [(-1, nil), (0, 1), (59.9, 1), (60, 2), (179, 2), (180, 3), (239, 3),
                                           (240, nil)]
        for (time, expected) in probes {
            #expect(series.gpus(at: time) == expected, "at \(time)")
        }
        #expect(series.regularValues() == [1, 2, 2, 3])
    }

    @Test func singleSampleLastsOneMinute() throws {
        let series = try #require(DemandSeries(times: [120], gpus: [4]))
        #expect(series.step == 60)
        #expect(series.span == 60)
        #expect(series.gpus(at: 150) == 4)
    }

    @Test func csvWritesRoundedCompactNumbers() throws {
        let series = try #require(DemandSeries(step: 60, gpus: [80.98, 80.9, 81, 0.05, 1.004, 2.996, 0]))
        #expect(series.csv() == "timestamp_seconds,gpus\n0,80.98\n60,80.9\n120,81\n180,0.05\n240,1\n300,3\n360,0\n")
    }
}
