import ControllerRuntime
import FleetcastTesting
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// Leader election against an API server that stops answering (calls hang until cancelled, as the
/// real client's do): losing the lease must end `run` without one more call, and stepping down on a
/// graceful shutdown must give up on the release instead of waiting for an answer. The failure mode
/// of either bug is a `run` that never returns, which the suite's time limit turns into a failure.
@Suite(.timeLimit(.minutes(10))) struct UnansweredLeaseTests {
    /// Forwards to an in-memory store until `answers` is false; then every call waits until cancelled
    /// and is counted, and the updates sent are kept (a release is an update clearing the holder).
    final class SilentStore: LeaseStore {
        let inner = InMemoryLeaseStore()
        let state = Mutex((answers: true, unanswered: 0, unansweredUpdates: [LeaseRecord]()))

        var answers: Bool {
            get { state.withLock { $0.answers } }
            set { state.withLock { $0.answers = newValue } }
        }
        var unanswered: Int { state.withLock { $0.unanswered } }
        /// Releases attempted while the server was silent.
        var unansweredReleases: Int { state.withLock { $0.unansweredUpdates.filter { $0.holderIdentity.isEmpty }.count } }

        private func hangIfSilent(update: LeaseRecord? = nil) async throws {
            let silent = state.withLock { state -> Bool in
                if !state.answers {
                    state.unanswered += 1
                    if let update { state.unansweredUpdates.append(update) }
                }
                return !state.answers
            }
            guard silent else { return }
            while true { try await Task.sleep(for: .seconds(3600)) }
        }

        func get() async throws -> LeaseRecord? {
            try await hangIfSilent()
            return try await inner.get()
        }

        func create(_ record: LeaseRecord) async throws -> LeaseRecord {
            try await hangIfSilent()
            return try await inner.create(record)
        }

        func update(_ record: LeaseRecord) async throws -> LeaseRecord {
            try await hangIfSilent(update: record)
            return try await inner.update(record)
        }
    }

    let clock = ManualClock()
    let store = SilentStore()

    func candidate() throws -> LeaderElector<ManualClock> {
        let clock = clock
        return try LeaderElector(
            configuration: LeaderElectionConfiguration(identity: "a"), store: store, clock: clock, wallClock: { clock.date },
            randomFraction: { 0 }, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func at(_ seconds: Int) -> ManualClock.Instant { ManualClock.Instant(offset: .seconds(seconds)) }

    @Test func aLostLeaseEndsTheRunWithoutAnotherCallToTheServer() async throws {
        let a = try candidate()
        let (events, sink) = AsyncStream<String>.makeStream()
        var iterator = events.makeAsyncIterator()
        await withTaskGroup(of: (any Error)?.self) { group in
            group.addTask {
                do {
                    try await a.run {
                        sink.yield("leads")
                        let (never, _) = AsyncStream<Void>.makeStream()
                        for await _ in never {}
                        sink.yield("cancelled")
                    }
                    return nil
                } catch {
                    return error
                }
            }
            #expect(await iterator.next() == "leads")
            await clock.waitForSleeper(until: at(2))
            store.answers = false
            // The renewal at 2 s hangs until the renew deadline (12 s) abandons it.
            clock.advance(to: at(2))
            await clock.waitForSleeper(until: at(12))
            #expect(store.unanswered >= 1)
            clock.advance(to: at(12))
            #expect(await iterator.next() == "cancelled")
            let error = await group.next() ?? nil
            #expect(error is LeadershipLostError)
            // No release was attempted for a lease that is lost (and an unanswered one would have hung here).
            #expect(store.unansweredReleases == 0)
        }
    }

    @Test func steppingDownGivesUpOnAReleaseTheServerDoesNotAnswer() async throws {
        let a = try candidate()
        let (events, sink) = AsyncStream<String>.makeStream()
        var iterator = events.makeAsyncIterator()
        let clock = clock
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await a.run {
                        sink.yield("leads")
                        try await gracefulShutdown()
                        sink.yield("stopped")
                    }
                }
                #expect(await iterator.next() == "leads")
                store.answers = false
                trigger.triggerGracefulShutdown()
                #expect(await iterator.next() == "stopped")
                // The release hangs; the elector waits its 2 s release timeout on its clock, then returns.
                await clock.waitForSleeper(until: clock.now.advanced(by: .seconds(2)))
                clock.advance(by: .seconds(2))
                try await group.waitForAll()
            }
        }
        #expect(store.unansweredReleases == 1)
        #expect(store.inner.record?.holderIdentity == "a", "the unanswered release left the lease to expire on its own")
    }
}
