import Foundation

/// The proportional warm pool learned from the pool's own rises: the largest relative rise of demand
/// within one lead time over a trailing window (a week), times a safety factor (1.5), capped at
/// `WarmPoolPolicy.learnedMaxPercent`.
///
/// A forecast misses jumps (a batch of instances, a burst of traffic); only capacity that is already
/// idle when one starts can serve it, since a node takes a lead time to arrive. How large such jumps
/// are is a property of the workload, so it is measured instead of guessed: a flat pool whose jumps are
/// 2 % of its level holds 3 %, a bursty one the cap (docs/benchmarks.md measured it on the four dev traces).
///
/// Fed one demand sample per decision, it keeps two monotonic queues — the lowest demand within the
/// last lead time and the largest rise within the trailing window — so each sample costs O(1) amortized.
public struct LearnedWarmCapacity: Sendable {
    /// How far back rises are remembered.
    public var window: TimeInterval
    /// Multiplies the largest rise: a later jump is often a little larger than any seen before.
    public var factor: Double
    /// Lowest demand within the last lead time, as (time, gpus), increasing in gpus.
    private var lows: [(time: TimeInterval, gpus: Double)] = []
    private var lowsHead = 0
    /// Rises ending at each sample within `window`, as (time, rise), decreasing in rise.
    private var rises: [(time: TimeInterval, rise: Double)] = []
    private var risesHead = 0

    public init(window: TimeInterval = 7 * 86_400, factor: Double = 1.5) {
        self.window = window
        self.factor = factor
    }

    /// Records demand `gpus` at `instant`, rising from the lowest demand in the preceding `lead`.
    /// The rise is relative to that low, never to less than one node (`floorGPUs`), so a pool that
    /// idles at zero does not read every first job as an infinite rise.
    public mutating func record(gpus: Double, at instant: Date, lead: TimeInterval, floorGPUs: Double) {
        let now = instant.timeIntervalSince1970
        let demand = gpus.isFinite ? max(0, gpus) : 0
        while lowsHead < lows.count, lows[lowsHead].time < now - max(0, lead) { lowsHead += 1 }
        if lowsHead < lows.count {
            let low = lows[lowsHead].gpus
            let rise = max(0, demand - low) / max(low, floorGPUs, 1e-9)
            while rises.count > risesHead, rises[rises.count - 1].rise <= rise { rises.removeLast() }
            rises.append((now, rise))
        }
        while lows.count > lowsHead, lows[lows.count - 1].gpus >= demand { lows.removeLast() }
        lows.append((now, demand))
        while risesHead < rises.count, rises[risesHead].time < now - window { risesHead += 1 }
        compact()
    }

    /// The largest relative rise within the window (0.1 = 10 %), 0 before any.
    public var largestRise: Double {
        risesHead < rises.count ? rises[risesHead].rise : 0
    }

    /// The warm share to hold, in percent of the needed GPUs: `factor ×` the largest rise, at most `cap`.
    public func percent(cap: Double) -> Double {
        guard cap.isFinite, cap > 0 else { return 0 }
        return min(cap, factor * largestRise * 100)
    }

    private mutating func compact() {
        if lowsHead > 1024, lowsHead * 2 > lows.count {
            lows.removeFirst(lowsHead)
            lowsHead = 0
        }
        if risesHead > 1024, risesHead * 2 > rises.count {
            rises.removeFirst(risesHead)
            risesHead = 0
        }
    }
}
