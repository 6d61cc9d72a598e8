extension WorkQueue {
    /// Moves delayed items into the queue when their time comes, waking blocked workers. Run
    /// exactly one of these per queue for as long as workers wait on it (the ``Controller`` does);
    /// it returns when the queue shuts down or the task is cancelled. Reads also promote due items,
    /// so a queue without this loop is still correct for callers that poll.
    public func runDelayedAdditions() async {
        while !Task.isCancelled {
            let now = clock.now
            let (plan, wakeups) = state.withLock { state -> (DelayPlan, WorkQueueWakeups<Item>) in
                if state.shuttingDown { return (.stop, WorkQueueWakeups()) }
                state.promoteReady(now: now)
                let wakeups = state.dispatch()
                if let readyAt = state.nextReadyAt {
                    return (.sleep(until: readyAt, generation: state.waitingGeneration), wakeups)
                }
                return (.idle(generation: state.waitingGeneration), wakeups)
            }
            wakeups.resume()
            switch plan {
            case .stop:
                return
            case .idle(let generation):
                await waitForScheduleChange(since: generation)
            case .sleep(let deadline, let generation):
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { try? await self.clock.sleep(until: deadline, tolerance: nil) }
                    group.addTask { await self.waitForScheduleChange(since: generation) }
                    await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    private enum DelayPlan {
        case stop
        case idle(generation: UInt64)
        case sleep(until: C.Instant, generation: UInt64)
    }

    /// Returns once a delayed item was scheduled after `generation`, the queue shut down, or the task was cancelled.
    private func waitForScheduleChange(since generation: UInt64) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let proceed = state.withLock { state -> Bool in
                    if Task.isCancelled || state.shuttingDown || state.waitingGeneration != generation { return true }
                    state.delayLoopWakeup = (generation, continuation)
                    return false
                }
                if proceed { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.takeDelayLoopWakeup() }
            continuation?.resume()
        }
    }
}
