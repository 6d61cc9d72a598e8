import Forecasting

/// GPUs to nodes, the conversion every policy and the planner make: one function, so the operator,
/// the simulator's policies and the warm pool round the same way and none of them can trap on an
/// absurd number.
public enum NodeCapacity {
    /// Nodes needed to hold `gpus` on nodes of `gpusPerNode`, rounding up (a fraction of a node is a
    /// whole node; a billionth of a GPU is float noise, not a node). Zero for no demand or a node
    /// without GPUs; saturates at `Int.max` instead of trapping.
    public static func nodes(forGPUs gpus: Double, gpusPerNode: Double) -> Int {
        guard gpus > 1e-9, gpusPerNode > 0 else { return 0 }
        return max(0, Int(saturating: gpus / gpusPerNode - 1e-9, rounding: .up))
    }
}
