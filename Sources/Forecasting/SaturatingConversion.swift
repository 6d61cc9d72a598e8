/// Conversions from `Double` that cannot trap.
///
/// `Int(x)` traps when `x` is NaN, infinite or outside `Int`'s range, and every number the decision
/// core converts has passed through untrusted input (a pod's request, a trace value, a price). Inputs
/// are bounded where they enter (`GPUPoolLimits`, the trace reader, the pod tally); these conversions
/// are the second line, so a value that slipped past a bound becomes the nearest representable count
/// instead of a crash of the operator that serves every pool.
extension Int {
    /// `value` rounded by `rule`, clamped to `Int.min...Int.max`; NaN becomes 0.
    public init(saturating value: Double, rounding rule: FloatingPointRoundingRule = .towardZero) {
        let rounded = value.rounded(rule)
        if rounded.isNaN {
            self = 0
        } else if rounded >= 9.223_372_036_854_775_807e18 {
            self = .max
        } else if rounded <= -9.223_372_036_854_775_808e18 {
            self = .min
        } else {
            self = Int(rounded)
        }
    }
}
