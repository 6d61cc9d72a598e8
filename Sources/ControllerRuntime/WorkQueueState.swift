import DequeModule
import HeapModule

/// The work queue's bookkeeping, always mutated under the queue's lock. Continuations to resume
/// are collected into ``WorkQueueWakeups`` and resumed after the lock is released.
struct WorkQueueState<Item: Hashable & Sendable, Instant: InstantProtocol> {
    /// Items ready to process, in order; each is also in `dirty`.
    var queue: Deque<Item> = []
    /// Items that need processing (queued, or re-added while in flight).
    var dirty: Set<Item> = []
    /// Items a worker holds.
    var processing: Set<Item> = []
    /// Delayed items and when they become ready; the heap orders them, stale heap entries are skipped.
    var waiting: [Item: DelayedEntry] = [:]
    var waitingOrder = Heap<DelayedEntry>()
    var rateLimiter: any RateLimiter<Item>
    var shuttingDown = false
    var getters: Deque<(id: UInt64, continuation: CheckedContinuation<Item?, Never>)> = []
    var drainWaiters: [CheckedContinuation<Void, Never>] = []
    /// Bumped whenever a delayed item is scheduled or the queue shuts down, so the delay loop knows to look again.
    var waitingGeneration: UInt64 = 0
    var delayLoopWakeup: (generation: UInt64, continuation: CheckedContinuation<Void, Never>)?
    private var nextID: UInt64 = 0

    struct DelayedEntry: Comparable {
        var readyAt: Instant
        var sequence: UInt64
        var item: Item

        static func < (lhs: DelayedEntry, rhs: DelayedEntry) -> Bool {
            (lhs.readyAt, lhs.sequence) < (rhs.readyAt, rhs.sequence)
        }

        static func == (lhs: DelayedEntry, rhs: DelayedEntry) -> Bool {
            lhs.readyAt == rhs.readyAt && lhs.sequence == rhs.sequence
        }
    }

    init(rateLimiter: any RateLimiter<Item>) {
        self.rateLimiter = rateLimiter
    }

    mutating func makeID() -> UInt64 {
        nextID += 1
        return nextID
    }

    /// client-go's `Add`: returns whether the item was newly marked dirty.
    mutating func insert(_ item: Item) -> Bool {
        guard !shuttingDown, !dirty.contains(item) else { return false }
        dirty.insert(item)
        if !processing.contains(item) {
            queue.append(item)
        }
        return true
    }

    /// Delays `item` until `readyAt`, keeping an earlier time if it is already delayed.
    /// Returns the delay loop's continuation when it has to re-plan its sleep.
    mutating func schedule(_ item: Item, at readyAt: Instant) -> CheckedContinuation<Void, Never>? {
        guard !shuttingDown else { return nil }
        if let existing = waiting[item], existing.readyAt <= readyAt { return nil }
        let entry = DelayedEntry(readyAt: readyAt, sequence: makeID(), item: item)
        waiting[item] = entry
        waitingOrder.insert(entry)
        waitingGeneration += 1
        return takeDelayLoopWakeup()
    }

    /// Moves every delayed item whose time has come into the queue.
    mutating func promoteReady(now: Instant) {
        while let first = waitingOrder.min, first.readyAt <= now {
            waitingOrder.removeMin()
            guard waiting[first.item] == first else { continue }
            waiting[first.item] = nil
            _ = insert(first.item)
        }
        // Drop stale heap entries at the top so `nextReadyAt` is accurate.
        while let first = waitingOrder.min, waiting[first.item] != first {
            waitingOrder.removeMin()
        }
    }

    var nextReadyAt: Instant? { waitingOrder.min?.readyAt }

    /// Hands the first ready item to a worker.
    mutating func takeNext() -> Item? {
        guard let item = queue.popFirst() else { return nil }
        processing.insert(item)
        dirty.remove(item)
        return item
    }

    /// client-go's `Done`: re-queues the item if it was added while in flight.
    mutating func finishProcessing(_ item: Item) {
        processing.remove(item)
        if dirty.contains(item) {
            queue.append(item)
        }
    }

    /// Pairs waiting workers with ready items, releases workers when shut down and empty, and
    /// releases drain waiters when nothing is in flight.
    mutating func dispatch() -> WorkQueueWakeups<Item> {
        var wakeups = WorkQueueWakeups<Item>()
        while !getters.isEmpty, let item = takeNext() {
            wakeups.items.append((getters.removeFirst().continuation, item))
        }
        if shuttingDown, queue.isEmpty {
            while let getter = getters.popFirst() {
                wakeups.items.append((getter.continuation, nil))
            }
        }
        if processing.isEmpty {
            wakeups.drained = drainWaiters
            drainWaiters = []
        }
        return wakeups
    }

    mutating func takeDelayLoopWakeup() -> CheckedContinuation<Void, Never>? {
        defer { delayLoopWakeup = nil }
        return delayLoopWakeup?.continuation
    }
}

/// Continuations to resume once the lock is released.
struct WorkQueueWakeups<Item: Sendable> {
    var items: [(CheckedContinuation<Item?, Never>, Item?)] = []
    var drained: [CheckedContinuation<Void, Never>] = []
    var delayLoop: CheckedContinuation<Void, Never>?

    func resume() {
        for (continuation, item) in items { continuation.resume(returning: item) }
        for continuation in drained { continuation.resume() }
        delayLoop?.resume()
    }
}
