import ControllerRuntime
import FleetcastTesting
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

// A broken queue or loop shows as a task that never resumes; the limit turns that hang into a failure.
@Suite(.timeLimit(.minutes(10))) struct LeaderElectedServiceTests {
    /// Notes who held the lease while each reconcile ran, holding the first one until released.
    struct LeaseCheckingReconciler: Reconciler {
        let store: InMemoryLeaseStore
        let holders = LockedValue<[String]>([])
        let started: AsyncStream<Void>.Continuation
        let gate: AsyncStream<Void>

        func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
            started.yield()
            for await _ in gate { break }
            holders.withLock { $0.append(store.record?.holderIdentity ?? "none") }
            return .done
        }
    }

    @Test func controllersDrainUnderTheLeaseAndTheLeaseIsReleasedAfter() async throws {
        let fixture = LeaderElectionFixture()
        let elector = try fixture.candidate("a")
        let (started, startedSink) = AsyncStream<Void>.makeStream()
        let (gate, gateSink) = AsyncStream<Void>.makeStream()
        let reconciler = LeaseCheckingReconciler(store: fixture.store, started: startedSink, gate: gate)
        let controller = Controller(
            name: "test", reconciler: reconciler, clock: fixture.clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let service = LeaderElectedService(elector: elector, services: [controller])
        controller.enqueue(ObjectKey(namespace: "gpu-fleet", name: "a100"))

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                var startedIterator = started.makeAsyncIterator()
                await startedIterator.next()
                // Shut down while the reconcile is in flight; it finishes before the lease goes.
                trigger.triggerGracefulShutdown()
                gateSink.yield()
                try await group.waitForAll()
            }
        }
        #expect(reconciler.holders.value == ["a"])
        #expect(fixture.store.record?.holderIdentity == "")
    }

    @Test func nothingRunsWhileAnotherReplicaLeads() async throws {
        let fixture = LeaderElectionFixture()
        fixture.store.overwrite(LeaseRecord(holderIdentity: "other", leaseDurationSeconds: 15))
        let elector = try fixture.candidate("a")
        let (_, startedSink) = AsyncStream<Void>.makeStream(of: Void.self)
        let (gate, _) = AsyncStream<Void>.makeStream(of: Void.self)
        let reconciler = LeaseCheckingReconciler(store: fixture.store, started: startedSink, gate: gate)
        let controller = Controller(
            name: "test", reconciler: reconciler, clock: fixture.clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        controller.enqueue(ObjectKey(namespace: "gpu-fleet", name: "a100"))
        let service = LeaderElectedService(elector: elector, services: [controller])
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                // Three failed campaigns, 2 s apart, while "other" keeps renewing.
                for second in [2, 4, 6] {
                    await fixture.clock.waitForSleeper(until: .init(offset: .seconds(second)))
                    fixture.store.overwrite(LeaseRecord(holderIdentity: "other", leaseDurationSeconds: 15, leaseTransitions: second))
                    fixture.clock.advance(to: .init(offset: .seconds(second)))
                }
                await fixture.clock.waitForSleeper(until: .init(offset: .seconds(8)))
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(reconciler.holders.value.isEmpty)
        #expect(controller.queue.count == 1, "the key waits for a leader")
        #expect(fixture.store.record?.holderIdentity == "other")
    }
}
