/// Polls `condition` every `interval` until it holds, and throws `GaveUpWaiting` once `bound` of real
/// time has passed without it holding.
///
/// Why every test wait goes through a bound: a wait that never ends does not fail, it stops the whole
/// test run, and CI then ends at its own limit with no test named and the run's buffered output lost.
/// The bound is a safety net, never the thing being tested, and it is long (5 minutes by default): when
/// the whole suite starts at once on two cores, CPU-bound tests hold the cooperative threads, and a task
/// that needs a few hops to reach the awaited state can wait tens of seconds for each while the wall clock
/// runs on. A bound shorter than the whole run can then fail a test that is merely queued.
public func waitUntil(
    _ what: @autoclosure () -> String,
    within bound: Duration = .seconds(300),
    every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: bound)
    while try await !condition() {
        guard clock.now < deadline else { throw GaveUpWaiting(what: what(), bound: bound) }
        try await Task.sleep(for: interval)
    }
}

/// A bounded wait ran out: `what` did not happen within `bound`.
public struct GaveUpWaiting: Error, CustomStringConvertible {
    public var what: String
    public var bound: Duration

    public var description: String { "gave up waiting \(bound): \(what)" }
}
