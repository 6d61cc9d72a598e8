@testable import ControllerRuntime
import FleetcastTesting
import Logging
import MetricsTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

// A broken queue or loop shows as a task that never resumes; the limit turns that hang into a failure.
@Suite(.timeLimit(.minutes(10))) struct ControllerTests {
    static let pool = ObjectKey(namespace: "gpu-fleet", name: "a100")
    static let other = ObjectKey(namespace: "gpu-fleet", name: "h100")

    static func makeController(
        _ reconciler: ScriptedReconciler, clock: ManualClock, workers: Int = 1, metrics: ControllerMetrics = .disabled
    ) -> Controller<ScriptedReconciler, ManualClock> {
        Controller(name: "test", reconciler: reconciler, clock: clock, workers: workers, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), metrics: metrics)
    }

    /// Takes the key from the queue and processes it as a worker would.
    static func step(_ controller: Controller<ScriptedReconciler, ManualClock>) async -> ObjectKey? {
        guard let key = await controller.queue.next() else { return nil }
        await controller.process(key)
        controller.queue.done(key)
        return key
    }

    @Test func errorsBackOffAndSuccessForgetsTheFailures() async throws {
        let clock = ManualClock()
        let reconciler = ScriptedReconciler(script: [Self.pool: [.fail("503"), .fail("503"), .result(.done)]])
        let metrics = TestMetrics()
        let controller = Self.makeController(reconciler, clock: clock, metrics: ControllerMetrics(controller: "test", factory: metrics))
        controller.enqueue(Self.pool)
        #expect(await Self.step(controller) == Self.pool)
        #expect(controller.queue.failures(of: Self.pool) == 1)
        #expect(controller.queue.count == 0)
        clock.advance(by: .milliseconds(5))
        #expect(await Self.step(controller) == Self.pool)
        #expect(controller.queue.failures(of: Self.pool) == 2)
        clock.advance(by: .milliseconds(9))
        #expect(controller.queue.count == 0, "second backoff is 10 ms")
        clock.advance(by: .milliseconds(1))
        #expect(await Self.step(controller) == Self.pool)
        #expect(controller.queue.failures(of: Self.pool) == 0)
        clock.advance(by: .seconds(3600))
        #expect(controller.queue.count == 0)
        #expect(controller.queue.delayedCount == 0)
        #expect(reconciler.calls.count == 3)
        let errors = try metrics.expectCounter("controller_runtime_reconcile_total", [("controller", "test"), ("result", "error")])
        #expect(errors.totalValue == 2)
        let successes = try metrics.expectCounter("controller_runtime_reconcile_total", [("controller", "test"), ("result", "success")])
        #expect(successes.totalValue == 1)
    }

    @Test func aTerminalErrorIsNotRetried() async throws {
        let clock = ManualClock()
        let reconciler = ScriptedReconciler(script: [Self.pool: [.failTerminally("invalid spec")]])
        let metrics = TestMetrics()
        let controller = Self.makeController(reconciler, clock: clock, metrics: ControllerMetrics(controller: "test", factory: metrics))
        controller.enqueue(Self.pool)
        #expect(await Self.step(controller) == Self.pool)
        clock.advance(by: .seconds(1000))
        #expect(controller.queue.count == 0)
        #expect(controller.queue.delayedCount == 0)
        let terminal = try metrics.expectCounter("controller_runtime_terminal_reconcile_errors_total", [("controller", "test")])
        #expect(terminal.totalValue == 1)
    }

    @Test func requeueAfterResetsBackoffAndComesBackOnTime() async {
        let clock = ManualClock()
        let reconciler = ScriptedReconciler(script: [Self.pool: [.fail("conflict"), .result(.requeue(after: .seconds(30)))]])
        let controller = Self.makeController(reconciler, clock: clock)
        controller.enqueue(Self.pool)
        _ = await Self.step(controller)
        clock.advance(by: .milliseconds(5))
        _ = await Self.step(controller)
        #expect(controller.queue.failures(of: Self.pool) == 0)
        clock.advance(by: .seconds(29))
        #expect(controller.queue.count == 0)
        clock.advance(by: .seconds(1))
        #expect(controller.queue.count == 1)
    }

    @Test func workersNeverReconcileOneKeyTwiceAtOnceAndShutdownDrains() async {
        let clock = ManualClock()
        let reconciler = ScriptedReconciler(hold: [Self.pool])
        let controller = Self.makeController(reconciler, clock: clock, workers: 3)
        await testGracefulShutdown { trigger in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await controller.run() }
                var started = reconciler.started.makeAsyncIterator()
                controller.enqueue(Self.pool)
                #expect(await started.next() == Self.pool)
                // The pool changes while its reconcile is held: two idle workers, but neither may take it.
                controller.enqueue(Self.pool)
                controller.enqueue(Self.other)
                #expect(await started.next() == Self.other)
                reconciler.release()
                #expect(await started.next() == Self.pool)
                // Queued before shutdown: still reconciled while draining. After shutdown: ignored.
                controller.enqueue(Self.other)
                trigger.triggerGracefulShutdown()
                controller.enqueue(ObjectKey(namespace: "gpu-fleet", name: "late"))
                await group.waitForAll()
            }
        }
        #expect(reconciler.maxInFlightPerKey == 1)
        #expect(reconciler.calls.filter { $0 == Self.pool }.count == 2)
        #expect(reconciler.calls.filter { $0 == Self.other }.count == 2)
        #expect(!reconciler.calls.contains(ObjectKey(namespace: "gpu-fleet", name: "late")))
    }
}
