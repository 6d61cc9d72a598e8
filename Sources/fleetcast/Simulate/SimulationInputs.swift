import Autoscaling
import Cron
import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import PoolPolicy
import Sampling
import Simulation
import Traces

/// Parsing of `fleetcast simulate`'s option values and assembly of a `SimulationSetup` from a pool,
/// a trace and those options. Every problem is a message naming the option, file or field.
enum SimulationInputs {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// A duration in Go syntax (`90s`, `15m`, `1h30m`) or whole days (`7d`).
    static func duration(_ text: String, option: String) throws(Problem) -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("d"), let days = Double(trimmed.dropLast()), days >= 0, days.isFinite {
            guard days * 86_400 <= TraceLimits.maxSeconds else { throw tooLong(text, option: option) }
            return days * 86_400
        }
        let parsed: KubeDuration
        do {
            parsed = try KubeDuration(parsing: trimmed)
        } catch {
            throw Problem(description: "\(option) \(text): not a duration (use e.g. 90s, 10m, 2h or 7d)")
        }
        guard parsed.seconds >= 0 else { throw Problem(description: "\(option) \(text): must not be negative") }
        guard parsed.seconds <= TraceLimits.maxSeconds else { throw tooLong(text, option: option) }
        return parsed.seconds
    }

    private static func tooLong(_ text: String, option: String) -> Problem {
        Problem(description: "\(option) \(text): must be at most \(Int(TraceLimits.maxSeconds / 86_400))d, the longest span a trace may have")
    }

    /// The `--startup` options: one whole start-up (`10m`, `lognormal:p50=6m,p90=12m`), or phases, one
    /// per option: `node=SPEC` (request → GPU-allocatable, required) and any of `Provisioning=`,
    /// `Scheduling=`, `ImagePull=`, `ModelLoad=` (names as in `status.startup.phases`, any case).
    static func startup(_ texts: [String]) throws(Problem) -> (whole: DelayDistribution?, phased: PhasedStartup?) {
        var whole: DelayDistribution?
        var node: DelayDistribution?
        var phases: [StartupPhase: DelayDistribution] = [:]
        for text in texts {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts.count == 2 ? parts[0].trimmingCharacters(in: .whitespaces) : ""
            if name.lowercased() == "node" {
                guard node == nil else { throw Problem(description: "--startup \(text): node= given twice") }
                node = try startup(parts[1], option: "--startup node")
            } else if let phase = StartupPhase.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) {
                guard phase.addsToNodeStartup else {
                    throw Problem(description: "--startup \(text): \(phase.rawValue) is part of the node start-up; give it in node=")
                }
                guard phases[phase] == nil else { throw Problem(description: "--startup \(text): \(phase.rawValue) given twice") }
                phases[phase] = try startup(parts[1], option: "--startup \(phase.rawValue)")
            } else {
                guard whole == nil else {
                    throw Problem(description: "--startup \(text): a whole start-up is given twice (phases are NAME=SPEC)")
                }
                whole = try startup(text)
            }
        }
        let phased = node != nil || !phases.isEmpty
        if phased, whole != nil {
            throw Problem(description: "--startup: give either one whole start-up or phases (node=, ImagePull=, ...), not both")
        }
        guard phased else { return (whole, nil) }
        guard let node else {
            throw Problem(description: "--startup: phases need node=SPEC, the node's own start-up (request to GPU-allocatable)")
        }
        do {
            return (nil, try PhasedStartup(node: node, phases: phases))
        } catch {
            throw Problem(description: "--startup: \(error.description)")
        }
    }

    /// `10m` (fixed) or `lognormal:p50=6m,p90=12m`.
    static func startup(_ text: String, option: String = "--startup") throws(Problem) -> DelayDistribution {
        guard text.hasPrefix("lognormal:") else {
            let seconds = try duration(text, option: option)
            return .fixed(seconds)
        }
        var p50: TimeInterval?, p90: TimeInterval?
        for part in text.dropFirst("lognormal:".count).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw Problem(description: "\(option) \(text): expected lognormal:p50=DURATION,p90=DURATION") }
            switch pair[0] {
            case "p50": p50 = try duration(pair[1], option: "\(option) p50")
            case "p90": p90 = try duration(pair[1], option: "\(option) p90")
            default: throw Problem(description: "\(option) \(text): unknown parameter \(pair[0]) (expected p50 and p90)")
            }
        }
        guard let p50, let p90, p50 > 0 else { throw Problem(description: "\(option) \(text): give p50 > 0 and p90, e.g. lognormal:p50=6m,p90=12m") }
        guard p90 >= p50 else { throw Problem(description: "\(option) \(text): p90 must be at least p50") }
        return .logNormal(p50: p50, p90: p90)
    }

    /// `--policy a,b,c`, in the order given, without repeats.
    static func policies(_ texts: [String]) throws(Problem) -> [PolicyKind] {
        var kinds: [PolicyKind] = []
        for name in texts.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            guard let kind = PolicyKind(rawValue: name) else {
                throw Problem(description: "--policy \(name): unknown policy (choose from \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }

    static func instant(_ text: String) throws(Problem) -> Date {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text) { return date }
        throw Problem(description: "--start \(text): expected an ISO 8601 instant such as 2026-01-05T00:00:00Z or a date 2026-01-05")
    }

    /// The simulator's workload from a parsed trace. A demand series replays from its first sample.
    static func workload(_ trace: Trace, file: String) throws(Problem) -> (workload: Workload, offset: TimeInterval) {
        switch trace {
        case .demand(let series):
            try checkReplaySpan(series.span, file: file)
            guard TraceLimits.gridSteps(span: series.span, step: series.step) != nil else {
                throw Problem(description: "\(file): the samples span \(days(series.span)) with gaps as small as "
                    + "\(series.step) s, more than \(TraceLimits.maxGridSteps) steps to replay; resample the trace to a coarser step")
            }
            return (.demand(DemandTrace(step: series.step, gpus: series.regularValues())), series.start)
        case .jobs(let list):
            let jobs = list.jobs.map { SimulatedJob(submit: $0.submit, duration: $0.duration, gpus: $0.gpus) }
            guard !jobs.isEmpty else { throw Problem(description: "\(file): the job list has no jobs") }
            try checkReplaySpan(jobs.map { $0.submit + $0.duration }.max() ?? 0, file: file)
            return (.jobs(JobTrace(jobs: jobs)), 0)
        }
    }

    /// Longest trace the simulator replays: five years of planning steps (the 180-day benchmark takes
    /// seconds; five years, minutes). Longer traces are refused rather than left to run for hours.
    static let maxReplaySeconds: TimeInterval = 5 * 366 * 86_400

    static func checkReplaySpan(_ span: TimeInterval, file: String) throws(Problem) {
        guard span <= maxReplaySeconds else {
            throw Problem(description: "\(file): the trace spans \(days(span)), more than the \(days(maxReplaySeconds)) "
                + "the simulator replays; cut it to the period to compare (a sparse trace with a long gap usually has "
                + "a timestamp in the wrong unit)")
        }
    }

    private static func days(_ seconds: TimeInterval) -> String {
        String(format: "%.0f days", seconds / 86_400)
    }

    /// The decision core's view of the pool: the one conversion the operator uses too.
    static func settings(of spec: GPUPoolSpec) throws(Problem) -> DecisionSettings {
        do {
            return try DecisionSettings(spec: spec)
        } catch {
            throw Problem(description: error.description)
        }
    }

    /// Schedule windows overlapping the replayed span, for the `scheduled` policy; those of `replayed`
    /// schedules as they were open over time, their durations learned from the trace's runs.
    static func windows(_ schedules: [ScheduledDemand], replayed: [ReplayedSchedule] = [], over interval: DateInterval) -> [ScheduledWindow] {
        let learned = Set(replayed.map(\.schedule.name))
        return (schedules.filter { !learned.contains($0.name) }.scheduledWindows(overlapping: interval)
            + replayed.flatMap { $0.scheduledWindows(overlapping: interval) })
            .sorted { ($0.start, $0.name) < ($1.start, $1.name) }
    }
}
