import ControllerRuntime
import FleetcastTesting
import Testing

/// Many adds racing several workers: whatever the interleaving, no key is processed by two workers
/// at once, and every key is processed at least once after its last add (no change is lost).
// A broken queue or loop shows as a task that never resumes; the limit turns that hang into a failure.
// It is a hang guard, not a speed check: generous, because the whole suite shares two cooperative
// threads on the CI machine and this test yields thousands of times behind every other runnable test.
@Suite(.timeLimit(.minutes(10))) struct WorkQueueConcurrencyTests {
    struct Ledger {
        var sequence = 0
        var lastAdd: [Int: Int] = [:]
        var lastStart: [Int: Int] = [:]
        var inFlight: Set<Int> = []
        var overlaps = 0
        var processed = 0

        mutating func tick() -> Int {
            sequence += 1
            return sequence
        }
    }

    @Test(arguments: [1, 4])
    func everyAddIsSeenAndNoKeyRunsTwiceAtOnce(workers: Int) async {
        let queue = WorkQueue<Int, ManualClock>(clock: ManualClock())
        let ledger = LockedValue(Ledger())
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while let key = await queue.next() {
                        ledger.withLock { ledger in
                            if !ledger.inFlight.insert(key).inserted { ledger.overlaps += 1 }
                            ledger.lastStart[key] = ledger.tick()
                        }
                        await Task.yield()
                        ledger.withLock { ledger in
                            ledger.inFlight.remove(key)
                            ledger.processed += 1
                        }
                        queue.done(key)
                    }
                }
            }
            // A fixed pseudo-random sequence of keys (linear congruential), so hot keys repeat often.
            var state: UInt64 = 42
            for _ in 0..<3000 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let key = Int((state >> 33) % 25)
                ledger.withLock { $0.lastAdd[key] = $0.tick() }
                queue.add(key)
                if state % 7 == 0 { await Task.yield() }
            }
            queue.shutDown()
            await group.waitForAll()
        }
        let final = ledger.value
        #expect(final.overlaps == 0)
        #expect(final.inFlight.isEmpty)
        for (key, added) in final.lastAdd {
            #expect((final.lastStart[key] ?? 0) > added, "key \(key) was added after its last reconcile began")
        }
        // Coalescing means fewer passes than adds, but never fewer than the distinct keys.
        #expect(final.processed >= final.lastAdd.count)
        #expect(final.processed <= 3000)
    }
}
