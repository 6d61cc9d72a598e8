import Autoscaling
import Foundation

/// Integrates a replay's piecewise-constant quantities over the scored interval and turns them
/// into the metrics of `PolicyResult`.
struct MetricsAccumulator {
    let scoreStart: TimeInterval
    let gpusPerNode: Double
    private var nodeSeconds = 0.0
    private var standbyNodeSeconds = 0.0
    /// Standby nodes resumed in the scored interval.
    var resumes = 0
    private var demandedGPUSeconds = 0.0
    private var servedGPUSeconds = 0.0
    private var minuteStart: TimeInterval?
    private var minuteShort = false
    private var unmetSinceMinute = 0.0
    private var inShortfall = false
    private var scoredMinutes = 0
    private var goodMinutes = 0
    var coldStarts = 0
    var scaleEvents = 0
    var waits: [TimeInterval] = []
    /// Demand series: how long unmet GPU-time had waited (see `FluidWaits`).
    private var fluidWaits = FluidWaits()
    private var shortfallSince: TimeInterval?

    init(scoreStart: TimeInterval, gpusPerNode: Double) {
        self.scoreStart = scoreStart
        self.gpusPerNode = gpusPerNode
    }

    mutating func integrate(from start: TimeInterval, to end: TimeInterval, billedNodes: Int, standbyNodes: Int = 0,
                            demanded: Double, served: Double, countsShortfallEpisodes: Bool) {
        let from = max(start, scoreStart)
        guard end > from else { return }
        let seconds = end - from
        let unmet = max(0, demanded - served)
        nodeSeconds += Double(billedNodes) * seconds
        standbyNodeSeconds += Double(standbyNodes) * seconds
        demandedGPUSeconds += demanded * seconds
        servedGPUSeconds += served * seconds
        unmetSinceMinute += unmet * seconds
        if unmet > 1e-9 {
            let since = shortfallSince ?? from
            shortfallSince = since
            fluidWaits.add(demanded: demanded * seconds, unmetGPUSeconds: unmet * seconds, wait: (from + end) / 2 - since)
        } else {
            shortfallSince = nil
            fluidWaits.add(demanded: demanded * seconds, unmetGPUSeconds: 0, wait: 0)
        }
        if unmet > 1e-9 {
            minuteShort = true
            if !inShortfall, countsShortfallEpisodes { coldStarts += 1 }
            inShortfall = true
        } else {
            inShortfall = false
        }
    }

    /// Closes the minute (planning step) ending at `time`; returns its unmet GPU-seconds.
    @discardableResult
    mutating func finishMinute(at time: TimeInterval) -> Double {
        defer {
            minuteStart = time
            minuteShort = false
            unmetSinceMinute = 0
        }
        if let minuteStart, minuteStart >= scoreStart, time > minuteStart {
            scoredMinutes += 1
            if !minuteShort { goodMinutes += 1 }
        }
        return unmetSinceMinute
    }

    /// `standbyCostRatio` (a standby node-hour's price ÷ a running one's) is given for a replay with a
    /// standby tier: its suspended node-hours are then billed at that ratio and reported with the resumes.
    func result(policy: String, hourlyCost: Double?, standbyCostRatio: Double? = nil, jobs: Bool, end: TimeInterval,
                unplacedWaits: [TimeInterval]) -> PolicyResult {
        let nodeHours = nodeSeconds / 3600
        let standbyHours = standbyNodeSeconds / 3600
        let provisioned = nodeHours * gpusPerNode
        let used = servedGPUSeconds / 3600
        let demanded = demandedGPUSeconds / 3600
        let unmet = max(0, demanded - used)
        let allWaits = (waits + unplacedWaits).sorted()
        var result = PolicyResult(
            policy: policy,
            cost: (nodeHours + standbyHours * (standbyCostRatio ?? 0)) * (hourlyCost ?? 1),
            nodeHours: nodeHours,
            gpuHoursProvisioned: provisioned,
            gpuHoursUsed: used,
            utilization: provisioned > 0 ? used / provisioned : 0,
            unmetGPUHours: unmet,
            servedFraction: demanded > 0 ? 1 - unmet / demanded : 1,
            sloMinutesFraction: scoredMinutes > 0 ? Double(goodMinutes) / Double(scoredMinutes) : 1,
            coldStarts: coldStarts,
            p95WaitSeconds: jobs ? (interpolatedQuantile(0.95, ofSorted: allWaits) ?? 0) : fluidWaits.quantile(0.95),
            scaleEvents: scaleEvents)
        if standbyCostRatio != nil {
            result.standbyNodeHours = standbyHours
            result.resumes = resumes
        }
        return result
    }
}
