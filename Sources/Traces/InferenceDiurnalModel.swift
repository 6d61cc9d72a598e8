import Foundation
import Sampling

/// Demand of an online inference service: a daily traffic curve, quieter weekends, slow growth,
/// correlated noise and short bursts (a launch, a batch client, a retry storm).
struct InferenceDiurnalModel: Sendable {
    /// GPUs at a daily factor of 1 on a weekday of day 0 (the mean comes out near 0.95 × this).
    var level: Double = 125
    /// Trough 01–05 h, peak 20–21 h, as in the servegen trace.
    static let shape = DailyShape([(0, 0.82), (2.5, 0.52), (5, 0.50), (8, 0.74), (12, 0.98),
                                   (16, 1.08), (20.5, 1.50), (23, 1.12)])
    /// Sunday … Saturday.
    static let weekdayFactor = [0.80, 1.0, 1.0, 1.0, 1.0, 0.97, 0.85]
    /// Growth per day (about +9 % a month).
    static let trendPerDay = 0.003
    static let burstsPerDay = 2.0
    static let burstDecayMinutes = 20.0

    func values(count: Int, clock: TraceClock, random: inout SplitMix64) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        let stepMinutes = clock.step / 60
        let persistence = pow(0.995, stepMinutes)   // correlated over a few hours
        let innovation = 0.14 * (1 - persistence * persistence).squareRoot()
        let burstDecay = exp(-stepMinutes / Self.burstDecayMinutes)
        var drift = 0.0
        var burst = 0.0
        for index in 0..<count {
            let position = clock.position(ofSample: index)
            let seasonal = Self.shape.factor(atHour: position.hour) * Self.weekdayFactor[position.weekday]
            let trend = 1 + Self.trendPerDay * Double(index) * clock.step / 86_400
            drift = persistence * drift + innovation * random.normal()
            burst *= burstDecay
            for _ in 0..<random.poisson(mean: Self.burstsPerDay * stepMinutes / 1_440) {
                burst += random.uniform(0.2, 0.7) * level
            }
            let noise = max(0.2, 1 + drift + 0.05 * random.normal())
            values[index] = max(0, level * seasonal * trend * noise + burst)
        }
        return values
    }
}
