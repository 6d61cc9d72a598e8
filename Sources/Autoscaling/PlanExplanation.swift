import Forecasting
import Foundation

/// Builds the one sentence every plan carries, e.g. "Holding 12 nodes: nightly-retrain needs
/// 32 GPUs at 02:00 UTC, 9 min away, and a new node takes 11 min to serve." The time is the lead time:
/// from asking for a node to a serving pod, start-up phases included.
enum PlanExplanation {
    static func sentence(
        reason: PlanReason, desired: Int, current: Int, need: DemandNeed, embargo: ScaleDownEmbargo?,
        lead: TimeInterval, usedForecast: Bool, warm: Int, scheduleCap: ScheduleCap? = nil, stabilizationRemaining: TimeInterval,
        arrival: NodeArrival = .coldStart, now: Date
    ) -> String {
        let fallback = usedForecast ? "" : " (forecast not ready: reactive demand, schedules and warm pool)"
        switch reason {
        case .scaleUpForDemand:
            return "Scaling up from \(current) to \(nodes(desired)): \(gpus(need.gpus)) are requested now\(fallback)."
        case .scaleUpForForecast, .scaleUpForSchedule:
            return "Scaling up from \(current) to \(nodes(desired)): \(why(need, lead: lead, arrival: arrival, now: now))\(fallback)."
        case .scaleUpForWarmPool:
            return "Scaling up from \(current) to \(nodes(desired)) to hold \(nodes(warm)) warm on top of \(gpus(need.gpus))\(fallback)."
        case .scaleUpToMinimum:
            return "Scaling up from \(current) to \(nodes(desired)), the pool's minimum."
        case .steady:
            return "Holding \(nodes(desired)): they cover \(gpus(need.gpus)) plus \(warm) warm\(fallback)."
        case .scaleDown:
            return "Scaling down from \(current) to \(nodes(desired)): \(gpus(need.gpus)) needed over the next \(minutes(lead)) \(arrival.span)\(fallback)."
        case .scaleDownPaced:
            return "Holding \(nodes(desired)) for now: nodes were removed less than a planning step ago, and scale-down removes a few per step."
        case .scaleDownStabilizing:
            return "Holding \(nodes(desired)): demand has fallen, but scale-down waits \(minutes(stabilizationRemaining)) more for the stabilization window."
        case .scaleDownEmbargoed:
            guard let embargo else { return "Holding \(nodes(desired)): the nodes are needed again within the lead time." }
            let source = embargo.schedule ?? "the forecast"
            let away = max(0, embargo.neededAt.timeIntervalSince(now))
            return "Holding \(nodes(desired)): \(source) needs \(nodes(embargo.nodesNeeded)) at \(clock(embargo.neededAt)), \(minutes(away)) away, and \(arrival.subject) takes \(minutes(lead)) to serve."
        case .limitedByMaximum:
            return "Holding \(nodes(desired)), the pool's maximum, although \(gpus(need.gpus)) may be needed."
        case .limitedByBudget:
            return "Holding \(nodes(desired)), all the budget pays for, although \(gpus(need.gpus)) may be needed."
        case .limitedBySchedule:
            guard let cap = scheduleCap else { return "Holding \(nodes(desired)): a schedule caps the pool, although \(gpus(need.gpus)) may be needed." }
            let busy = cap.limit > cap.nodes ? "; \(nodes(cap.limit)) running work are kept" : ""
            return "Holding \(nodes(desired)): \(cap.name) caps the pool at \(nodes(cap.nodes)) until \(clock(cap.until))\(busy), although \(gpus(need.gpus)) may be needed."
        }
    }

    /// What each tier covers, appended to the sentence of a pool with a standby tier, e.g.
    /// " Running covers 96 GPUs within the 1 min resume; 3 standby nodes cover 20 GPUs more within the 10 min start-up."
    static func standbyClause(_ standby: StandbyPlan?, lead: TimeInterval) -> String {
        guard let standby else { return "" }
        let held = "\(nodes(standby.nodes)) on standby"
        switch standby.reason {
        case .coversForecastRise, .percentOfPlan, .minimum, .limitedByStandbyMaximum, .limitedByMaximum, .limitedByBudget:
            let why: String
            switch standby.reason {
            case .percentOfPlan: why = ", the standby percentage of the plan"
            case .minimum: why = ", the standby minimum"
            case .limitedByStandbyMaximum: why = ", the standby maximum"
            case .limitedByMaximum: why = ", all the pool's maximum leaves"
            case .limitedByBudget: why = ", all the budget leaves"
            default: why = ""
            }
            let uncovered = standby.uncoveredNodes > 0 ? " (\(nodes(standby.uncoveredNodes)) held running until standby nodes are ready)" : ""
            return " Running nodes cover \(gpus(standby.runningGPUs)) within the \(minutes(standby.resumeTime)) resume; \(held)\(why) cover up to \(gpus(standby.standbyGPUs)) more within the \(minutes(lead)) start-up\(uncovered)."
        case .notCheaper:
            return " \(held) (the minimum): a standby node costs as much as a running one."
        case .resumeNotFaster:
            return " \(held) (the minimum): a resume (\(minutes(standby.resumeTime))) is no faster than a new node (\(minutes(lead)))."
        }
    }

    private static func why(_ need: DemandNeed, lead: TimeInterval, arrival: NodeArrival, now: Date) -> String {
        let away = max(0, need.peakAt.timeIntervalSince(now))
        let source: String
        switch need.driver {
        case .schedule(let name, _): source = name
        case .forecast, .currentDemand, .none: source = "the forecast"
        }
        return "\(source) needs \(gpus(need.gpus)) at \(clock(need.peakAt)), \(minutes(away)) away, and \(arrival.subject) takes \(minutes(lead)) to serve"
    }

    private static func nodes(_ count: Int) -> String { count == 1 ? "1 node" : "\(count) nodes" }

    private static func gpus(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
        return rounded == 1 ? "1 GPU" : "\(text) GPUs"
    }

    private static func minutes(_ seconds: TimeInterval) -> String {
        "\(Int(saturating: seconds / 60, rounding: .up)) min"
    }

    /// Time of day in UTC as HH:MM, computed directly so the core needs no formatter or calendar.
    private static func clock(_ instant: Date) -> String {
        let seconds = Int(saturating: instant.timeIntervalSince1970, rounding: .down)
        let ofDay = ((seconds % 86_400) + 86_400) % 86_400
        let hour = ofDay / 3600, minute = (ofDay % 3600) / 60
        return String(format: "%02d:%02d UTC", hour, minute)
    }
}

/// How a node the running plan asks for arrives, for the sentence: a new node's cold start, or, with a
/// standby tier, a standby node's resume.
enum NodeArrival {
    case coldStart, resume

    var subject: String { self == .coldStart ? "a new node" : "a standby node" }
    var span: String { self == .coldStart ? "start-up time" : "resume time" }
}
