import Foundation
import Synchronization

/// A clock that only moves when a test says so, so code written against `some Clock<Duration>`
/// (work queues, leader election, tick loops) can be tested without sleeping and without timed
/// assertions. `advance(by:)` resumes every sleeper whose deadline has been reached, earliest
/// first; `waitForSleepers(count:)` lets a test wait until the code under test is parked on the
/// clock before moving it, which makes multi-step scenarios deterministic.
public final class ManualClock: Clock, Sendable {
    /// An instant on the manual clock: the time elapsed since the clock was created.
    public struct Instant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
        public var offset: Duration

        public init(offset: Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Duration) -> Instant {
            Instant(offset: offset + duration)
        }

        public func duration(to other: Instant) -> Duration {
            other.offset - offset
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }

        public var description: String { "T+\(offset)" }
    }

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct SleeperWatcher {
        var isSatisfied: @Sendable ([Instant]) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var watchers: [SleeperWatcher] = []
        var cancelledBeforeRegistering: Set<UInt64> = []
    }

    private let state = Mutex(State())
    /// The wall-clock time at the clock's origin, for code that also stamps `Date`s (lease records, events).
    public let origin: Date

    public init(origin: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.origin = origin
    }

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// The wall-clock time corresponding to `now`.
    public var date: Date { date(at: now) }

    public func date(at instant: Instant) -> Date {
        let parts = instant.offset.components
        return origin.addingTimeInterval(Double(parts.seconds) + Double(parts.attoseconds) * 1e-18)
    }

    /// How many tasks are currently suspended in `sleep(until:)`.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, watchers) = state.withLock { state -> (Result<Void, any Error>?, [CheckedContinuation<Void, Never>]) in
                    if state.cancelledBeforeRegistering.remove(id) != nil || Task.isCancelled {
                        return (.failure(CancellationError()), [])
                    }
                    if deadline <= state.now {
                        return (.success(()), [])
                    }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, Self.satisfiedWatchers(&state))
                }
                for watcher in watchers { watcher.resume() }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelledBeforeRegistering.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        _ = state.withLock { $0.cancelledBeforeRegistering.remove(id) }
    }

    /// Moves the clock forward and resumes every sleeper whose deadline is now reached, earliest first.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock to `instant` (if it is later than now), resuming sleepers as `advance(by:)` does.
    public func advance(to instant: Instant) {
        let remaining = now.duration(to: instant)
        if remaining > .zero { advance(by: remaining) }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock.
    public func waitForSleepers(count: Int) async {
        await waitForSleepers { $0.count >= count }
    }

    /// Suspends until `count` tasks sleep until exactly `deadline`: the way to know loops have
    /// finished their step and parked before moving the clock past their next wake-up.
    public func waitForSleeper(until deadline: Instant, count: Int = 1) async {
        await waitForSleepers { deadlines in deadlines.count { $0 == deadline } >= count }
    }

    private func waitForSleepers(where isSatisfied: @escaping @Sendable ([Instant]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if isSatisfied(state.sleepers.map(\.deadline)) { return true }
                state.watchers.append(SleeperWatcher(isSatisfied: isSatisfied, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func satisfiedWatchers(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let deadlines = state.sleepers.map(\.deadline)
        var satisfied: [CheckedContinuation<Void, Never>] = []
        state.watchers.removeAll { watcher in
            guard watcher.isSatisfied(deadlines) else { return false }
            satisfied.append(watcher.continuation)
            return true
        }
        return satisfied
    }
}
