import Foundation
import Simulation

/// What the demo measured around the scheduled burst, from the samples it read from the cluster.
struct DemoMeasurement: Sendable, Hashable {
    /// GPUs allocatable on Ready nodes in the last sample before the window opened.
    var readyGPUsAtOpen: Int
    var readyNodesAtOpen: Int
    /// Demand just before the window plus the schedule's GPUs: what the window needs.
    var neededGPUsAtOpen: Int
    /// How long before the window the ready capacity had already covered that need without a break.
    var secondsAhead: TimeInterval?
    /// Pods created after the window opened, and the longest any of them waited for a node (a pod
    /// still pending counts until the last sample).
    var burstPods: Int
    var longestBurstWait: TimeInterval?

    var readyBeforeWindow: Bool { readyGPUsAtOpen >= neededGPUsAtOpen }

    /// Nil unless samples were taken both before and after the window opened (the demo can be
    /// stopped early).
    static func measure(samples: [DemoSample], pods: [String: DemoPodTimes], window: Date, scheduledGPUs: Int) -> DemoMeasurement? {
        let before = samples.filter { $0.time <= window }
        guard let atOpen = before.last, let last = samples.last, last.time > window else { return nil }
        let needed = atOpen.demandGPUs + scheduledGPUs
        var since: Date?
        for sample in before.reversed() {
            guard sample.readyGPUs >= needed else { break }
            since = sample.time
        }
        let lastSeen = last.time
        // Creation times have one-second resolution; a pod stamped in the window's first second counts.
        let burst = pods.values.filter { $0.created >= window }
        let waits = burst.map { ($0.bound ?? lastSeen).timeIntervalSince($0.created) }
        return DemoMeasurement(
            readyGPUsAtOpen: atOpen.readyGPUs, readyNodesAtOpen: atOpen.readyNodes, neededGPUsAtOpen: needed,
            secondsAhead: since.map { window.timeIntervalSince($0) }, burstPods: burst.count,
            longestBurstWait: waits.max())
    }
}

/// The closing text: the measured outcome for Fleetcast, the simulated one for reactive scaling.
enum DemoSummary {
    static func text(scenario: DemoScenario, measurement: DemoMeasurement?, reactive: @autoclosure () -> DemoReactiveComparison,
                     lastSample: DemoSample?) -> String {
        let schedule = scenario.schedule
        var lines = ["", "Summary"]
        lines.append("  Scheduled burst:   \(schedule.name) at \(DemoTable.clock(scenario.windowStart)) UTC (cron \"\(schedule.cron ?? "")\"), \(schedule.gpus ?? 0) GPUs for \(schedule.duration)")
        if let measurement {
            let ahead = measurement.secondsAhead.map { "\(Int($0.rounded())) s ahead of the window" } ?? "not before the window"
            lines.append("  Fleetcast (measured in the cluster): \(measurement.readyGPUsAtOpen) GPUs ready on \(measurement.readyNodesAtOpen) nodes when the window opened, for \(measurement.neededGPUsAtOpen) needed (running demand + \(schedule.gpus ?? 0) scheduled); covered \(ahead).")
            lines.append("  Capacity ready before the window: \(measurement.readyBeforeWindow ? "yes" : "no")")
            if let wait = measurement.longestBurstWait {
                lines.append("  Pods created after the window opened: \(measurement.burstPods), the longest wait for a node \(Int(wait.rounded())) s.")
            }
        } else {
            lines.append("  Stopped before the window opened: nothing to compare yet.")
            return lines.joined(separator: "\n")
        }
        if let lastSample, let p90 = lastSample.startupP90 {
            lines.append("  Start-up lead time learned by the operator: p90 \(Int(p90.rounded())) s from \(lastSample.startupSamples ?? 0) node start-ups (prior \(scenario.pool.spec.startup?.expected?.description ?? "default")).")
        }
        let reactive = reactive()
        let served = reactive.secondsUntilServed.map { "nothing pending \(Int($0.rounded())) s later" }
            ?? "still \(gpus(reactive.pendingGPUsAtEnd)) pending at the end"
        lines.append("  Reactive scaling (simulated: Simulation's reactive policy, same demand, start-up \(reactive.startup)): \(gpus(reactive.pendingGPUsAtOpen)) pending when the window opened, \(served); \(format(reactive.unmetGPUMinutes)) GPU-minutes of demand unserved after the window opened.")
        return lines.joined(separator: "\n")
    }

    private static func gpus(_ value: Double) -> String {
        format(value) == "1" ? "1 GPU" : "\(format(value)) GPUs"
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
