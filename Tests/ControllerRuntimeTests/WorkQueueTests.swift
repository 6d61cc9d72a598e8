import ControllerRuntime
import FleetcastTesting
import Testing

// A broken queue or loop shows as a task that never resumes; the limit turns that hang into a failure.
@Suite(.timeLimit(.minutes(10))) struct WorkQueueTests {
    static func makeQueue(_ clock: ManualClock) -> WorkQueue<String, ManualClock> {
        WorkQueue(clock: clock)
    }

    @Test func addingAQueuedItemAgainCoalescesIt() async {
        let queue = Self.makeQueue(ManualClock())
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.count == 2)
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
        #expect(queue.count == 0)
    }

    @Test func anItemAddedWhileBeingProcessedIsProcessedAgainAfterDone() async {
        let queue = Self.makeQueue(ManualClock())
        queue.add("a")
        let first = await queue.next()
        #expect(first == "a")
        // Re-added twice while in flight: not handed to another worker, coalesced to one more pass.
        queue.add("a")
        queue.add("a")
        #expect(queue.count == 0)
        queue.done("a")
        #expect(queue.count == 1)
        #expect(await queue.next() == "a")
        queue.done("a")
        #expect(queue.count == 0)
    }

    @Test func delayedItemsBecomeReadyInTimeOrder() async {
        let clock = ManualClock()
        let queue = Self.makeQueue(clock)
        queue.add("a", after: .seconds(3))
        queue.add("b", after: .seconds(1))
        queue.add("c", after: .seconds(2))
        #expect(queue.count == 0)
        #expect(queue.delayedCount == 3)
        var order: [String] = []
        for _ in 0..<3 {
            clock.advance(by: .seconds(1))
            #expect(queue.count == 1)
            if let item = await queue.next() { order.append(item) }
        }
        #expect(order == ["b", "c", "a"])
    }

    @Test func delayingAnItemTwiceKeepsTheEarlierTime() async {
        let clock = ManualClock()
        let queue = Self.makeQueue(clock)
        queue.add("late-then-early", after: .seconds(10))
        queue.add("late-then-early", after: .seconds(1))
        queue.add("early-then-late", after: .seconds(1))
        queue.add("early-then-late", after: .seconds(10))
        clock.advance(by: .seconds(1))
        #expect(queue.count == 2)
        #expect(queue.delayedCount == 0)
        clock.advance(by: .seconds(10))
        #expect(queue.count == 2)
    }

    @Test func aDelayedAddOfAQueuedItemDoesNotDuplicateIt() async {
        let clock = ManualClock()
        let queue = Self.makeQueue(clock)
        queue.add("a")
        queue.add("a", after: .seconds(1))
        clock.advance(by: .seconds(1))
        #expect(queue.count == 1)
    }

    @Test func theDelayLoopWakesABlockedWorker() async {
        let clock = ManualClock()
        let queue = Self.makeQueue(clock)
        await withTaskGroup(of: String?.self) { group in
            group.addTask { await queue.runDelayedAdditions(); return nil }
            queue.add("a", after: .seconds(5))
            await clock.waitForSleepers(count: 1)
            // A sooner item replaces the loop's sleep.
            queue.add("b", after: .seconds(2))
            group.addTask { await queue.next() }
            while queue.idleWorkers < 1 { await Task.yield() }
            clock.advance(by: .seconds(2))
            #expect(await group.next() == "b")
            group.addTask { await queue.next() }
            while queue.idleWorkers < 1 { await Task.yield() }
            clock.advance(by: .seconds(3))
            #expect(await group.next() == "a")
            queue.shutDown()
            #expect(await group.next() == .some(nil))
        }
    }

    @Test func rateLimitedAddsBackOffExponentiallyUntilForgotten() async {
        let clock = ManualClock()
        let queue = Self.makeQueue(clock)
        for (failures, expectedDelay) in [(1, 5), (2, 10), (3, 20), (4, 40)] {
            queue.addRateLimited("a")
            #expect(queue.failures(of: "a") == failures)
            clock.advance(by: .milliseconds(expectedDelay - 1))
            #expect(queue.count == 0, "not ready 1 ms before \(expectedDelay) ms")
            clock.advance(by: .milliseconds(1))
            #expect(queue.count == 1, "ready after \(expectedDelay) ms")
            #expect(await queue.next() == "a")
            queue.done("a")
        }
        queue.forget("a")
        #expect(queue.failures(of: "a") == 0)
        queue.addRateLimited("a")
        clock.advance(by: .milliseconds(5))
        #expect(queue.count == 1)
    }

    @Test func shutDownIgnoresNewItemsAndHandsOutWhatIsQueued() async {
        let clock = ManualClock()
        let queue = Self.makeQueue(clock)
        queue.add("a")
        queue.add("b")
        queue.add("delayed", after: .seconds(1))
        #expect(await queue.next() == "a")
        queue.shutDown()
        queue.add("c")
        queue.add("a")
        clock.advance(by: .seconds(1))
        #expect(queue.isShuttingDown)
        #expect(await queue.next() == "b")
        #expect(await queue.next() == nil)
        queue.done("a")
        queue.done("b")
        #expect(await queue.next() == nil)
    }

    @Test func shutDownWithDrainWaitsForItemsInFlight() async {
        let queue = Self.makeQueue(ManualClock())
        let finished = LockedValue(false)
        queue.add("a")
        #expect(await queue.next() == "a")
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await queue.shutDownWithDrain()
                return finished.value
            }
            finished.value = true
            queue.done("a")
            let sawDone = await group.next()
            #expect(sawDone == true)
        }
    }

    @Test func aBlockedWorkerIsReleasedByShutDown() async {
        let queue = Self.makeQueue(ManualClock())
        await withTaskGroup(of: String?.self) { group in
            group.addTask { await queue.next() }
            queue.shutDown()
            #expect(await group.next() == .some(nil))
        }
    }

    @Test func cancellingABlockedWorkerReturnsNil() async {
        let queue = Self.makeQueue(ManualClock())
        let task = Task { await queue.next() }
        task.cancel()
        #expect(await task.value == nil)
        // The queue still works for other workers afterwards.
        queue.add("a")
        #expect(await queue.next() == "a")
    }

    @Test func blockedWorkersShareItemsWithoutDuplicates() async {
        let queue = Self.makeQueue(ManualClock())
        await withTaskGroup(of: String?.self) { group in
            for _ in 0..<3 { group.addTask { await queue.next() } }
            for item in ["x", "y", "x", "z"] { queue.add(item) }
            var received: [String] = []
            for await item in group { if let item { received.append(item) } }
            #expect(received.sorted() == ["x", "y", "z"])
        }
    }
}
