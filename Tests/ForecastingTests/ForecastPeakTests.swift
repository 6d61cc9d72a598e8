import Foundation
import Testing
import Forecasting

@Suite struct ForecastPeakTests {
    static let origin = Date(timeIntervalSince1970: 1_000_000)
    static let forecast = Forecast(
        model: "test",
        origin: origin,
        step: 300,
        quantile: 0.95,
        readiness: .ready,
        points: [(10, 12), (20, 25), (5, 6), (30, 40)].enumerated().map { index, value in
            ForecastPoint(start: origin.addingTimeInterval(Double(index) * 300), mean: value.0, upper: value.1)
        }
    )

    @Test(arguments: [
        // (start offset, end offset, expected upper peak)
        (0.0, 300.0, 12.0),      // exactly the first bin
        (0.0, 301.0, 25.0),      // touches the second bin
        (299.0, 600.0, 25.0),    // partial first and whole second
        (600.0, 900.0, 6.0),
        (-600.0, 100.0, 12.0),   // before the origin clamps to the first bin
        (900.0, 5000.0, 40.0),   // past the horizon clamps to the last bin
        (2000.0, 3000.0, 0.0),   // wholly past the horizon
        (300.0, 300.0, 0.0),     // empty interval
    ])
    func peakOverWindow(start: Double, end: Double, expected: Double) {
        let forecast = Self.forecast
        #expect(forecast.peakUpper(from: Self.origin.addingTimeInterval(start), to: Self.origin.addingTimeInterval(end)) == expected)
    }

    @Test func horizonEndsAfterLastBin() {
        #expect(Self.forecast.horizonEnd == Self.origin.addingTimeInterval(1200))
    }
}
