import Autoscaling
import Foundation

/// One policy's score over the scored part of a trace. Field names are the metric names used in
/// every output (table, JSON, CSV, HTML), as defined in DESIGN.md.
public struct PolicyResult: Sendable, Hashable, Codable {
    public var policy: String
    /// `nodeHours × hourlyCost`, or node-hours when the pool has no price.
    public var cost: Double
    /// Node-hours billed, per second, from request to removal (starting nodes cost money too).
    public var nodeHours: Double
    /// Billed node-hours times GPUs per node.
    public var gpuHoursProvisioned: Double
    /// Demanded GPU-hours that ran on ready capacity.
    public var gpuHoursUsed: Double
    /// `gpuHoursUsed / gpuHoursProvisioned`.
    public var utilization: Double
    /// GPU-hours of demand that found no ready capacity.
    public var unmetGPUHours: Double
    /// `1 − unmetGPUHours / demanded GPU-hours`.
    public var servedFraction: Double
    /// Fraction of scored minutes in which ready capacity covered demand for the whole minute.
    public var sloMinutesFraction: Double
    /// Demand series: shortfall episodes (demand rising above ready capacity after a minute without
    /// shortfall). Job lists: jobs that had to wait for capacity.
    public var coldStarts: Int
    /// 95th percentile of job waits (job lists; jobs never placed count their wait until the end). For
    /// demand series, of demanded GPU-time, an unmet GPU-second having waited as long as its shortfall
    /// had lasted (`FluidWaits`). Optional for reports written before demand series had it.
    public var p95WaitSeconds: Double?
    /// Planning steps at which the number of nodes the policy asks for changed.
    public var scaleEvents: Int
    /// With a standby tier: node-hours suspended in it (billed at the standby price; `nodeHours` holds
    /// the running ones and those being set up). Nil for a replay without one.
    public var standbyNodeHours: Double? = nil
    /// With a standby tier: standby nodes resumed. Nil for a replay without one.
    public var resumes: Int? = nil

    enum CodingKeys: String, CodingKey {
        case policy, cost, nodeHours, gpuHoursProvisioned, gpuHoursUsed, utilization, unmetGPUHours,
             servedFraction, sloMinutesFraction, coldStarts, p95WaitSeconds, scaleEvents, standbyNodeHours, resumes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(policy, forKey: .policy)
        try container.encode(cost, forKey: .cost)
        try container.encode(nodeHours, forKey: .nodeHours)
        try container.encode(gpuHoursProvisioned, forKey: .gpuHoursProvisioned)
        try container.encode(gpuHoursUsed, forKey: .gpuHoursUsed)
        try container.encode(utilization, forKey: .utilization)
        try container.encode(unmetGPUHours, forKey: .unmetGPUHours)
        try container.encode(servedFraction, forKey: .servedFraction)
        try container.encode(sloMinutesFraction, forKey: .sloMinutesFraction)
        try container.encode(coldStarts, forKey: .coldStarts)
        try container.encode(p95WaitSeconds, forKey: .p95WaitSeconds)
        try container.encode(scaleEvents, forKey: .scaleEvents)
        try container.encodeIfPresent(standbyNodeHours, forKey: .standbyNodeHours)
        try container.encodeIfPresent(resumes, forKey: .resumes)
    }
}

/// The state of the pool at one planning step, for the per-step CSV and the report's charts.
public struct StepRecord: Sendable, Hashable {
    /// Seconds from the trace start.
    public var offset: TimeInterval
    public var demandGPUs: Double
    public var readyNodes: Int
    /// Nodes billed (ready, starting and draining).
    public var billedNodes: Int
    public var desiredNodes: Int
    public var forecastMean: Double?
    public var forecastUpper: Double?
    /// GPU-seconds of unmet demand since the previous step.
    public var unmetGPUSeconds: Double
    /// Why the planner chose `desiredNodes` (predictive policy only).
    public var planReason: PlanReason? = nil
}

/// A policy's replay: its score and, when asked for, its per-step trajectory.
public struct SimulationRun: Sendable {
    public var result: PolicyResult
    public var steps: [StepRecord]
}
