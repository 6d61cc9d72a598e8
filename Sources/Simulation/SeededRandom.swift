import Foundation

/// SplitMix64: a small, fast, well-mixed generator. The simulator draws every random number from one
/// of these, seeded from `--seed`, so the same seed always replays the same start-up times.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal variate (Box–Muller; one of the pair is discarded to keep the stream simple).
    public mutating func nextGaussian() -> Double {
        let u1 = max(Double.random(in: 0..<1, using: &self), .leastNormalMagnitude)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}






