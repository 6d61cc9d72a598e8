import DequeModule
import Synchronization

/// A work queue with client-go's semantics, driven by an injected clock.
///
/// - An item added while it is waiting to be processed is coalesced: it is processed once.
/// - An item added while it is being processed is not handed to a second worker; it is queued
///   again when the first worker calls ``done(_:)``, so every change is seen after the last one.
/// - ``add(_:after:)`` holds an item until the clock reaches its time (the earliest wins when an
///   item is delayed twice); ``addRateLimited(_:)`` delays by the rate limiter (per-item backoff
///   and an overall token bucket by default); ``forget(_:)`` resets an item's backoff.
/// - ``shutDown()`` ignores new adds and lets workers drain what is queued; ``next()`` returns
///   `nil` once the queue is shut down and empty. ``shutDownWithDrain()`` also waits for items in
///   flight.
///
/// Delayed items become ready whenever the queue is read, and ``runDelayedAdditions()`` (which the
/// ``Controller`` runs) wakes blocked workers when a delay ends.
public final class WorkQueue<Item: Hashable & Sendable, C: Clock<Duration>>: Sendable {
    let clock: C
    let origin: C.Instant
    let state: Mutex<WorkQueueState<Item, C.Instant>>
    let metrics: WorkQueueMetrics

    public init(
        clock: C,
        rateLimiter: any RateLimiter<Item> = MaxOfRateLimiter<Item>.controllerDefault(),
        metrics: WorkQueueMetrics = .disabled
    ) {
        self.clock = clock
        self.origin = clock.now
        self.metrics = metrics
        self.state = Mutex(WorkQueueState(rateLimiter: rateLimiter))
    }

    /// Queues `item` unless it is already queued; if it is being processed it is queued again when done.
    public func add(_ item: Item) {
        let now = clock.now
        let wakeups = state.withLock { state -> WorkQueueWakeups<Item> in
            state.promoteReady(now: now)
            if state.insert(item) { metrics.adds.increment() }
            return state.dispatch()
        }
        wakeups.resume()
        publishDepth()
    }

    /// Queues `item` once `delay` has passed on the clock. A non-positive delay adds it at once.
    public func add(_ item: Item, after delay: Duration) {
        guard delay > .zero else { return add(item) }
        let readyAt = clock.now.advanced(by: delay)
        let wakeup = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.schedule(item, at: readyAt)
        }
        wakeup?.resume()
    }

    /// Queues `item` after the delay its rate limiter chooses (backoff after a failure).
    public func addRateLimited(_ item: Item) {
        let elapsed = origin.duration(to: clock.now)
        let delay = state.withLock { state -> Duration? in
            state.shuttingDown ? nil : state.rateLimiter.delay(for: item, now: elapsed)
        }
        guard let delay else { return }
        metrics.retries.increment()
        add(item, after: delay)
    }

    /// Forgets `item`'s failures, so its next backoff starts from the base delay.
    public func forget(_ item: Item) {
        state.withLock { $0.rateLimiter.forget(item) }
    }

    /// How many times `item` has failed since it was last forgotten.
    public func failures(of item: Item) -> Int {
        state.withLock { $0.rateLimiter.failures(of: item) }
    }

    /// Marks `item` as processed. If it was added again meanwhile it is queued now.
    public func done(_ item: Item) {
        let wakeups = state.withLock { state -> WorkQueueWakeups<Item> in
            state.finishProcessing(item)
            return state.dispatch()
        }
        wakeups.resume()
        publishDepth()
    }

    /// The next item to process, waiting for one if none is ready. `nil` once the queue is shut
    /// down and empty, or if the calling task is cancelled. Call ``done(_:)`` with the item after.
    public func next() async -> Item? {
        let id = state.withLock { $0.makeID() }
        let now = clock.now
        let item = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Item?, Never>) in
                let immediate = state.withLock { state -> Item?? in
                    if Task.isCancelled { return .some(nil) }
                    state.promoteReady(now: now)
                    if let item = state.takeNext() { return .some(item) }
                    if state.shuttingDown { return .some(nil) }
                    state.getters.append((id, continuation))
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Item?, Never>? in
                guard let index = state.getters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.getters.remove(at: index).continuation
            }
            continuation?.resume(returning: nil)
        }
        publishDepth()
        return item
    }

    /// Stops accepting items and wakes idle workers; queued items are still handed out.
    public func shutDown() {
        let wakeups = state.withLock { state -> WorkQueueWakeups<Item> in
            state.shuttingDown = true
            state.waiting.removeAll()
            var wakeups = state.dispatch()
            wakeups.delayLoop = state.takeDelayLoopWakeup()
            return wakeups
        }
        wakeups.resume()
    }

    /// Shuts down, then waits until no item is being processed (client-go's `ShutDownWithDrain`).
    public func shutDownWithDrain() async {
        shutDown()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLock { state -> Bool in
                if state.processing.isEmpty { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
    }

    /// Items ready to be handed out (not counting delayed items or items in flight).
    public var count: Int {
        let now = clock.now
        return state.withLock { state in
            state.promoteReady(now: now)
            return state.queue.count
        }
    }

    /// Items whose delay has not ended yet.
    public var delayedCount: Int { state.withLock { $0.waiting.count } }

    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Workers currently blocked in ``next()`` waiting for an item.
    public var idleWorkers: Int { state.withLock { $0.getters.count } }

    private func publishDepth() {
        guard metrics.isEnabled else { return }
        metrics.depth.record(state.withLock { $0.queue.count })
    }
}
