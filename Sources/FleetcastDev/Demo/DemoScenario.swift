import FleetcastAPI
import Foundation
import KubeAPI
import Traces
import VirtualInfrastructure

/// The demo's story, fixed when it starts: the pool with its first schedule moved to a whole minute a
/// few minutes ahead (cron has minute granularity), the simulated node pool behind the pool's target,
/// and the demand the workload replays — a compressed synthetic inference day plus the schedule's burst.
/// Pure: the start instant is passed in, so the same inputs give the same scenario.
struct DemoScenario: Sendable {
    var start: Date
    /// When the scheduled burst opens (a whole UTC minute).
    var windowStart: Date
    /// When the demo stops by itself and prints its summary.
    var end: Date
    /// The pool as applied: the file's pool with the first schedule's cron rewritten.
    var pool: GPUPool
    var schedule: ScheduleSpec
    var infrastructure: InfrastructureConfiguration
    var nodePool: NodePoolConfiguration
    /// GPUs demanded per `demandStep` from `start`: base load plus the burst while the window is open.
    var demand: [Double]
    /// The part of `demand` that is the scheduled burst.
    var burst: [Double]
    var demandStep: TimeInterval
    /// Labels every workload pod carries (the pool's demand selector), and where it may run.
    var podLabels: [String: String]
    var podNodeSelector: [String: String]

    struct Timeline: Sendable {
        /// The window opens on the first whole minute at least this long after the start.
        var scheduleAfter: TimeInterval
        /// How long the demo runs after the window opens.
        var afterWindow: TimeInterval
        /// Trace seconds of the synthetic day per demo second.
        var speed: Double
        var seed: UInt64
        /// Peak GPUs of the base (non-scheduled) load.
        var baseGPUs: Double
    }

    /// Builds the scenario; a pool or infrastructure that does not fit the demo is an error naming the
    /// file and field.
    static func make(start: Date, pool: GPUPool, poolFile: String, infrastructure: InfrastructureConfiguration,
                     infraFile: String, timeline: Timeline) throws(DemoSetupError) -> DemoScenario {
        guard var schedule = pool.spec.schedules?.first else {
            throw DemoSetupError("\(poolFile): spec.schedules: Required value: the demo moves the first schedule a few minutes ahead")
        }
        guard let podLabels = pool.spec.demand.pods.selector.matchLabels, !podLabels.isEmpty else {
            throw DemoSetupError("\(poolFile): spec.demand.pods.selector.matchLabels: Required value: the demo labels its pods with them")
        }
        let namespace = pool.spec.target.namespace(forPoolIn: pool.metadata.namespace ?? "default")
        guard let nodePool = infrastructure.pools.first(where: {
            $0.machineDeployment == pool.spec.target.name && $0.namespace == namespace
        }), pool.spec.target.kind == "MachineDeployment" else {
            throw DemoSetupError("\(infraFile): pools: no machineDeployment \(namespace)/\(pool.spec.target.name), the target of \(poolFile)")
        }
        let windowStart = Self.wholeMinute(atLeast: start.addingTimeInterval(timeline.scheduleAfter))
        schedule.cron = Self.dailyCron(at: windowStart)
        schedule.timeZone = "UTC"
        var applied = pool
        applied.spec.schedules?[0] = schedule
        applied.status = nil

        let step: TimeInterval = 5
        let end = windowStart.addingTimeInterval(timeline.afterWindow)
        // Cover an hour past the start so --keep-running still has demand to replay.
        let count = Int((max(end.timeIntervalSince(start), 3600) / step).rounded(.up)) + 1
        let base = Self.baseLoad(count: count, step: step, timeline: timeline)
        let opens = windowStart.timeIntervalSince(start), closes = opens + schedule.duration.seconds
        let burst = (0..<count).map { index -> Double in
            let offset = Double(index) * step
            return offset >= opens && offset < closes ? Double(schedule.gpus ?? 0) : 0
        }
        return DemoScenario(
            start: start, windowStart: windowStart, end: end, pool: applied, schedule: schedule,
            infrastructure: infrastructure, nodePool: nodePool, demand: zip(base, burst).map(+), burst: burst,
            demandStep: step, podLabels: podLabels, podNodeSelector: pool.spec.nodes.selector.matchLabels ?? [:])
    }

    /// The workload the virtual infrastructure replays: one pod per GPU, labelled for the pool.
    func workload() -> WorkloadReplay? {
        guard let series = DemandSeries(start: 0, step: demandStep, gpus: demand) else { return nil }
        return WorkloadReplay(trace: .demand(series), start: start, speed: 1, podGPUs: 1,
                              namespace: pool.metadata.namespace ?? "default", namePrefix: "demo",
                              nodeSelector: podNodeSelector, labels: podLabels)
    }

    /// The base load: a synthetic inference day (Traces' generator) played from 14:00, the afternoon
    /// climb to the evening peak, at `speed`, scaled so the day's peak is `baseGPUs`, in whole GPUs and at
    /// least one.
    static func baseLoad(count: Int, step: TimeInterval, timeline: Timeline) -> [Double] {
        let day = SyntheticTraceConfiguration(profile: .inferenceDiurnal, days: 1, seed: timeline.seed).generate()
        let peak = day.flatMap { $0.gpus.max() } ?? 0
        return (0..<count).map { index in
            let traceTime = (14 * 3600 + Double(index) * step * timeline.speed).truncatingRemainder(dividingBy: 86_400)
            guard let day, peak > 0, let value = day.gpus(at: traceTime) else { return 1 }
            return max(1, (timeline.baseGPUs * value / peak).rounded())
        }
    }

    /// The first whole UTC minute at or after `instant`.
    static func wholeMinute(atLeast instant: Date) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 60).rounded(.up) * 60)
    }

    /// "M H * * *": fires daily at `instant`'s UTC hour and minute.
    static func dailyCron(at instant: Date) -> String {
        let secondOfDay = Int(instant.timeIntervalSince1970.rounded(.down)) % 86_400
        return "\(secondOfDay % 3600 / 60) \(secondOfDay / 3600) * * *"
    }

    /// Demand at `offset` seconds from the start (0 past the series).
    func demand(at offset: TimeInterval) -> Double {
        let index = Int((offset / demandStep).rounded(.down))
        return demand.indices.contains(index) ? demand[index] : 0
    }
}

/// The demo cannot be set up: a bad input file (naming file and field), or the cluster, operator or
/// a file write failing.
struct DemoSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
