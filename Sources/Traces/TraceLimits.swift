/// The bounds every trace value is read within, in one place: the reader refuses a row outside them
/// with `FILE:LINE`, so no later arithmetic (binning, the simulator's clock, the planner's node
/// counts) sees a number it cannot represent exactly or a grid it cannot hold in memory.
///
/// They are far beyond real traces: the public GPU traces span days to months at one-minute steps,
/// and the largest pool holds thousands of GPUs.
public enum TraceLimits {
    /// Latest `timestamp_seconds` / `submit_seconds`, and the longest `duration_seconds`: about 101
    /// years after the trace's origin.
    public static let maxSeconds = 3.2e9
    /// Most GPUs in one row (a demand value, or one job).
    public static let maxGPUs = 1e6
    /// Most regular steps a trace may be expanded into (a demand series on its smallest gap, a job
    /// list on its step): 20 million is 38 years of minutes, 160 MB of values. A sparse trace whose
    /// grid would be larger is refused with the numbers, never expanded.
    public static let maxGridSteps = 20_000_000

    /// The steps `span` seconds make at `step`, when within `maxGridSteps`.
    public static func gridSteps(span: Double, step: Double) -> Int? {
        guard span.isFinite, step.isFinite, step > 0, span >= 0 else { return nil }
        let steps = (span / step).rounded(.up)
        return steps <= Double(maxGridSteps) ? Int(steps) : nil
    }
}
