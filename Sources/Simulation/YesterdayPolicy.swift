import Autoscaling
import Foundation

/// The simple rule issue 7 measures Fleetcast against: hold yesterday's demand over the next start-up
/// time, plus 10 %, plus one warm node. At every step it looks up the peak demand in the window that
/// starts exactly one day earlier and lasts one start-up time (what is likely to arrive before a node
/// requested now could be ready), never plans below the demand of this moment, adds the margin and the
/// warm node, and scales straight to that. No model, no stabilization: the baseline a team writes in an
/// afternoon, which a forecasting autoscaler must beat to earn its complexity.
public struct YesterdayPolicy: ScalingPolicy {
    public var gpusPerNode: Double
    /// How far back "yesterday" is.
    public var period: TimeInterval
    /// Fractional margin on top of yesterday's peak (0.1 is the rule's 10 %).
    public var margin: Double
    /// Nodes held on top of the margin.
    public var warmNodes: Int
    /// The start-up time to look ahead by: the same estimate from observed start-ups the planner uses.
    public var leadTime: LeadTimeEstimator
    private var memory = DemandMemory()

    public init(gpusPerNode: Double, leadTime: LeadTimeEstimator, period: TimeInterval = 86_400,
                margin: Double = 0.1, warmNodes: Int = 1) {
        self.gpusPerNode = gpusPerNode
        self.leadTime = leadTime
        self.period = period
        self.margin = margin
        self.warmNodes = warmNodes
    }

    public mutating func decide(_ context: PolicyContext) -> PolicyDecision {
        let now = context.now.timeIntervalSince1970
        memory.record(context.demandGPUs, at: now, keeping: period + 2 * leadTime.prior + 86_400)
        let lead = leadTime.estimate(StartupSamples(nodeStartups: context.recentStartups, phases: context.recentPhases)).leadTime
        let yesterday = memory.peak(from: now - period, to: now - period + max(lead, 0)) ?? context.demandGPUs
        let gpus = max(yesterday, context.demandGPUs) * (1 + margin)
        let nodes = NodeCapacity.nodes(forGPUs: gpus, gpusPerNode: gpusPerNode)
        return PolicyDecision(desiredNodes: nodes + warmNodes, forecastMean: yesterday, forecastUpper: gpus)
    }
}

/// Demand samples in time order, with the old ones dropped, and the peak over a time window.
struct DemandMemory: Sendable {
    private var times: [TimeInterval] = []
    private var values: [Double] = []
    private var head = 0

    mutating func record(_ gpus: Double, at time: TimeInterval, keeping retention: TimeInterval) {
        times.append(time)
        values.append(gpus)
        while head < times.count, times[head] < time - retention { head += 1 }
        // Compact now and then, so the arrays stay about one retention long.
        if head > 4096, head * 2 > times.count {
            times.removeFirst(head)
            values.removeFirst(head)
            head = 0
        }
    }

    /// The largest sample in `[from, to]`, or nil when no sample falls inside (before the history
    /// reaches back that far).
    func peak(from start: TimeInterval, to end: TimeInterval) -> Double? {
        var low = head, high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] < start { low = middle + 1 } else { high = middle }
        }
        var peak: Double?
        var index = low
        while index < times.count, times[index] <= end {
            peak = max(peak ?? values[index], values[index])
            index += 1
        }
        return peak
    }
}
