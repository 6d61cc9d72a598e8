import Foundation

/// The SplitMix64 generator (Steele, Lea & Flood, 2014): tiny, fast, and fully determined by its seed,
/// so a trace generated with `--seed 7`, a simulation run with `--seed 7` and a virtual cluster started
/// with seed 7 are the same on every machine and Swift version. The one seeded generator of the project:
/// traces, the simulator, the virtual infrastructure and the tests all draw from it
/// (`SplitMix64Tests` pins its first values).
///
/// The distributions below are written out here rather than taken from `Double.random(in:using:)`,
/// whose algorithm the standard library does not promise to keep.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unit()
    }

    /// Standard normal (Box–Muller; one of the pair is discarded to keep the state simple).
    public mutating func normal() -> Double {
        let radius = (-2 * log(1 - unit())).squareRoot()
        return radius * cos(2 * Double.pi * unit())
    }

    /// Exponential with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - unit())
    }

    /// Poisson count with the given mean (Knuth's method; meant for small means, as used here).
    public mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit && count < 10_000 {
            product *= unit()
            count += 1
        }
        return count
    }
}
