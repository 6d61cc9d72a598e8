import ControllerRuntime
import FleetcastTesting
import Logging
import MetricsTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// The campaign, renewal and release loop, driven by a manual clock.
// A broken queue or loop shows as a task that never resumes; the limit turns that hang into a failure.
@Suite(.timeLimit(.minutes(10))) struct LeaderElectionRunTests {
    let fixture = LeaderElectionFixture()
    var clock: ManualClock { fixture.clock }
    var store: InMemoryLeaseStore { fixture.store }
    let events: AsyncStream<String>
    let eventSink: AsyncStream<String>.Continuation

    init() {
        (events, eventSink) = AsyncStream<String>.makeStream()
    }

    func candidate(_ identity: String) throws -> LeaderElector<ManualClock> {
        try fixture.candidate(identity)
    }

    func at(_ seconds: Int) -> ManualClock.Instant {
        ManualClock.Instant(offset: .seconds(seconds))
    }

    /// A body that reports it started and then waits until cancelled.
    func leadUntilCancelled(_ name: String) -> @Sendable () async throws -> Void {
        let sink = eventSink
        return {
            sink.yield("\(name) leads")
            let (never, _) = AsyncStream<Void>.makeStream()
            for await _ in never {}
            sink.yield("\(name) cancelled")
        }
    }

    @Test func gracefulShutdownStopsTheBodyThenReleasesTheLease() async throws {
        let a = try candidate("a")
        let sink = eventSink
        var events = events.makeAsyncIterator()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await a.run {
                        sink.yield("a leads")
                        try await gracefulShutdown()
                        // Still under the lease while finishing in-flight work.
                        sink.yield("a finishing")
                    }
                }
                #expect(await events.next() == "a leads")
                #expect(store.record?.holderIdentity == "a")
                trigger.triggerGracefulShutdown()
                #expect(await events.next() == "a finishing")
                try await group.waitForAll()
            }
        }
        #expect(store.record?.holderIdentity == "")
        #expect(store.record?.leaseDurationSeconds == 1)
    }

    @Test func failingToRenewUntilTheDeadlineCancelsTheBodyAndThrows() async throws {
        let metrics = TestMetrics()
        let leaders = LockedValue<[String]>([])
        let clock = clock
        let a = try LeaderElector(
            configuration: LeaderElectionConfiguration(identity: "a"), store: store, clock: clock,
            wallClock: { clock.date }, randomFraction: { 0 },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            onNewLeader: { leader in leaders.withLock { $0.append(leader) } },
            metricsFactory: metrics
        )
        let leading = try metrics.expectGauge("leader_election_master_status", [("name", "fleetcast-operator-leader")])
        var events = events.makeAsyncIterator()
        await withTaskGroup(of: (any Error)?.self) { group in
            group.addTask {
                do {
                    try await a.run(whileLeading: leadUntilCancelled("a"))
                    return nil
                } catch {
                    return error
                }
            }
            #expect(await events.next() == "a leads")
            #expect(leading.lastValue == 1)
            #expect(leaders.value == ["a"])
            // Renewed right after acquiring, next renewal at T+2.
            await clock.waitForSleeper(until: at(2))
            store.isAvailable = false
            // Attempts at 2, 4, 6, 8 and 10 s fail; the next would be at the 12 s deadline.
            for second in [2, 4, 6, 8] {
                clock.advance(to: at(second))
                await clock.waitForSleeper(until: at(second + 2))
                #expect(await a.isLeader, "still leading at T+\(second)")
            }
            clock.advance(to: at(10))
            #expect(await events.next() == "a cancelled")
            let error = await group.next() ?? nil
            #expect(error is LeadershipLostError)
            #expect(leading.lastValue == 0)
        }
    }

    @Test func aRecoveredRenewalWithinTheDeadlineKeepsLeading() async throws {
        let a = try candidate("a")
        var events = events.makeAsyncIterator()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await a.run(whileLeading: leadUntilCancelled("a")) }
            #expect(await events.next() == "a leads")
            await clock.waitForSleeper(until: at(2))
            store.isAvailable = false
            clock.advance(to: at(2))
            await clock.waitForSleeper(until: at(4))
            clock.advance(to: at(4))
            await clock.waitForSleeper(until: at(6))
            store.isAvailable = true
            let writes = store.writes
            clock.advance(to: at(6))
            // Renewed at T+6; the next cycle starts 2 s later with a fresh deadline.
            await clock.waitForSleeper(until: at(8))
            #expect(store.writes == writes + 1)
            #expect(store.record?.holderIdentity == "a")
            group.cancelAll()
            #expect(await events.next() == "a cancelled")
        }
        #expect(store.record?.holderIdentity == "", "released after cancellation")
    }

    @Test func theStandbyTakesOverWhenTheLeaderStops() async throws {
        let a = try candidate("a"), b = try candidate("b")
        let sink = eventSink
        var events = events.makeAsyncIterator()
        let (triggers, triggerSink) = AsyncStream<GracefulShutdownTestTrigger>.makeStream()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await testGracefulShutdown { trigger in
                    triggerSink.yield(trigger)
                    try? await a.run {
                        sink.yield("a leads")
                        try await gracefulShutdown()
                    }
                    sink.yield("a returned")
                }
            }
            var triggerIterator = triggers.makeAsyncIterator()
            let trigger = await triggerIterator.next()
            #expect(await events.next() == "a leads")
            group.addTask { try? await b.run(whileLeading: leadUntilCancelled("b")) }
            // b finds a's valid lease at T+0 and retries at T+2, when a renews next.
            await clock.waitForSleeper(until: at(2), count: 2)
            #expect(await b.leader == "a")
            trigger?.triggerGracefulShutdown()
            #expect(await events.next() == "a returned")
            #expect(store.record?.holderIdentity == "")
            clock.advance(to: at(2))
            #expect(await events.next() == "b leads")
            #expect(store.record?.holderIdentity == "b")
            #expect(store.record?.leaseTransitions == 1)
            group.cancelAll()
            #expect(await events.next() == "b cancelled")
        }
    }

    @Test func shutdownBeforeElectionNeverRunsTheBody() async throws {
        let a = try candidate("a")
        store.overwrite(LeaseRecord(holderIdentity: "other", leaseDurationSeconds: 15))
        await testGracefulShutdown { trigger in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await a.run(whileLeading: leadUntilCancelled("a")) }
                await clock.waitForSleeper(until: at(2))
                trigger.triggerGracefulShutdown()
                await group.waitForAll()
            }
        }
        eventSink.finish()
        var events = events.makeAsyncIterator()
        #expect(await events.next() == nil)
        #expect(store.record?.holderIdentity == "other")
    }
}
