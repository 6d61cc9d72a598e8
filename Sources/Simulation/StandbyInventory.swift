import Autoscaling
import Foundation

/// The simulated standby tier: nodes being set up (billed as running until `readyAt`) and suspended
/// nodes (billed at the standby price) that resume when the running plan needs them. Times are seconds
/// from the trace start.
struct StandbyInventory {
    private var readyTimes: [TimeInterval] = []

    var total: Int { readyTimes.count }

    func counts(at time: TimeInterval) -> StandbyCounts {
        let ready = readyTimes.reduce(0) { $0 + ($1 <= time ? 1 : 0) }
        return StandbyCounts(ready: ready, entering: readyTimes.count - ready)
    }

    /// A node that enters standby at `readyAt` (now, for a running node suspended on scale-in).
    mutating func add(readyAt: TimeInterval) {
        readyTimes.append(readyAt)
    }

    /// Takes up to `count` suspended nodes to resume, longest suspended first; returns how many.
    mutating func takeReady(_ count: Int, at time: TimeInterval) -> Int {
        var taken = 0
        readyTimes.sort()
        while taken < count, let first = readyTimes.first, first <= time {
            readyTimes.removeFirst()
            taken += 1
        }
        return taken
    }

    /// Gives back `count` nodes: those still being set up first (latest first), then suspended ones.
    mutating func release(_ count: Int) {
        readyTimes.sort()
        readyTimes.removeLast(min(max(0, count), readyTimes.count))
    }
}
