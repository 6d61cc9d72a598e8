import Foundation
import Testing
@testable import Forecasting

@Suite struct DemandHistoryTests {
    static let base = Date(timeIntervalSince1970: 3_000_000)  // a multiple of 300 s

    @Test func binsKeepPeakAndMeanOfTheirSamples() throws {
        var history = DemandHistory(step: 300, retention: 3600)
        for (offset, gpus) in [(0.0, 4.0), (60, 8), (299, 6), (300, 1)] {
            history.record(gpus: gpus, at: Self.base.addingTimeInterval(offset))
        }
        let first = try #require(history.bin(at: 0))
        #expect(first.peak == 8)
        #expect(first.mean == 6)
        #expect(first.samples == 3)
        #expect(history.bin(at: 1)?.peak == 1)
        #expect(history.binCount == 2)
    }

    @Test func gapsAreMissingNotZero() {
        var history = DemandHistory(step: 300, retention: 86_400)
        history.record(gpus: 5, at: Self.base)
        history.record(gpus: 7, at: Self.base.addingTimeInterval(900))
        #expect(history.binCount == 4)
        #expect(history.bins.map { $0?.peak } == [5, nil, nil, 7])
        #expect(history.observedBinCount == 2)
        let series = history.peakSeries(fromBin: history.firstBin - 1, toBin: history.firstBin + 5)
        #expect(series[0].isNaN && series[2].isNaN && series[3].isNaN && series[5].isNaN)
        #expect(series[1] == 5 && series[4] == 7)
    }

    @Test func advanceMarksSilentTimeMissing() {
        var history = DemandHistory(step: 300, retention: 86_400)
        history.record(gpus: 5, at: Self.base)
        history.advance(to: Self.base.addingTimeInterval(1200))
        #expect(history.binCount == 5)
        #expect(history.observedBinCount == 1)
    }

    @Test func retentionDropsOldBinsAndIgnoresLateSamples() {
        var history = DemandHistory(step: 300, retention: 1200)  // four bins
        for index in 0..<10 {
            history.record(gpus: Double(index), at: Self.base.addingTimeInterval(Double(index) * 300))
        }
        #expect(history.binCount == 4)
        #expect(history.bins.map { $0?.peak } == [6, 7, 8, 9])
        history.record(gpus: 100, at: Self.base)  // too old to matter any more
        #expect(history.bins.map { $0?.peak } == [6, 7, 8, 9])
        history.record(gpus: 3, at: Self.base.addingTimeInterval(100 * 300))  // far future: restart
        #expect(history.bins.map { $0?.peak } == [3])
    }

    @Test(arguments: [-1.0, .nan, .infinity])
    func invalidSamplesAreIgnored(gpus: Double) {
        var history = DemandHistory(step: 300, retention: 3600)
        history.record(gpus: gpus, at: Self.base)
        #expect(history.binCount == 0)
        #expect(history.start == nil)
    }

    @Test func roundTripsThroughCompactJSON() throws {
        var history = DemandHistory(step: 300, retention: 86_400)
        history.record(gpus: 2, at: Self.base)
        history.record(gpus: 3, at: Self.base.addingTimeInterval(10))
        history.record(gpus: 40, at: Self.base.addingTimeInterval(1500))
        let data = try JSONEncoder().encode(history)
        let decoded = try JSONDecoder().decode(DemandHistory.self, from: data)
        #expect(decoded == history)
        #expect(decoded.bins.map { $0?.mean } == [2.5, nil, nil, nil, nil, 40])
    }

    @Test func fourteenDaysOfFiveMinuteBinsStayFarBelowAConfigMap() throws {
        let history = SyntheticDemand.history(duration: 14 * 86_400, noise: 3) { SyntheticDemand.pattern($0) }
        #expect(history.binCount == 4032)
        let data = try JSONEncoder().encode(history)
        #expect(data.count < 64 * 1024)
        let decoded = try JSONDecoder().decode(DemandHistory.self, from: data)
        #expect(decoded.binCount == history.binCount)
        #expect(zip(decoded.bins, history.bins).allSatisfy { abs(($0?.peak ?? 0) - ($1?.peak ?? 0)) < 1e-3 })
    }

    @Test(arguments: [
        #"{"version":2,"step":300,"retention":3600,"firstBin":0,"peaks":"","means":"","counts":""}"#,
        #"{"version":1,"step":0,"retention":3600,"firstBin":0,"peaks":"","means":"","counts":""}"#,
        #"{"version":1,"step":300,"retention":3600,"firstBin":0,"peaks":"AAAA","means":"","counts":""}"#,
        #"{"version":1,"step":300,"retention":3600,"firstBin":0,"peaks":"%%","means":"","counts":""}"#,
    ])
    func corruptEncodingsAreRejected(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DemandHistory.self, from: Data(json.utf8))
        }
    }
}
