import Logging
import ServiceLifecycle

/// Runs a reconciler over a work queue of object keys with a fixed number of workers, applying
/// controller-runtime's result handling:
///
/// - a thrown error requeues the key with rate-limited backoff (the result is ignored);
/// - a thrown ``TerminalReconcileError`` is logged and counted but not requeued;
/// - `.requeue(after:)` forgets the key's backoff and requeues it after that long;
/// - `.done` forgets the key's backoff.
///
/// A key is never reconciled by two workers at once. Watches and ticks feed the queue with
/// ``enqueue(_:)``. As a `Service` it stops on graceful shutdown: new keys are ignored, keys
/// already queued and reconciles in flight finish, then `run()` returns. Cancellation stops
/// the workers without draining.
public struct Controller<R: Reconciler, C: Clock<Duration>>: Service {
    public let name: String
    public let queue: WorkQueue<ObjectKey, C>
    let reconciler: R
    let workers: Int
    let clock: C
    let logger: Logger
    let metrics: ControllerMetrics

    /// - Parameters:
    ///   - name: names the controller in logs and metrics (e.g. `gpupool`).
    ///   - workers: reconciles that may run at once, each on a different key (controller-runtime's
    ///     `MaxConcurrentReconciles`, default 1).
    ///   - queue: defaults to a queue with client-go's controller rate limiter.
    public init(
        name: String,
        reconciler: R,
        clock: C,
        workers: Int = 1,
        queue: WorkQueue<ObjectKey, C>? = nil,
        logger: Logger,
        metrics: ControllerMetrics = .disabled
    ) {
        self.name = name
        self.reconciler = reconciler
        self.clock = clock
        self.workers = max(1, workers)
        self.queue = queue ?? WorkQueue(clock: clock)
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
        self.metrics = metrics
    }

    /// Asks for `key` to be reconciled (coalesced with any pending request for it).
    public func enqueue(_ key: ObjectKey) {
        queue.add(key)
    }

    public func run() async {
        logger.info("Starting workers", metadata: ["workers": "\(workers)"])
        metrics.maxConcurrentReconciles.record(workers)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await queue.runDelayedAdditions() }
                for _ in 0..<workers {
                    group.addTask { await work() }
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: { [queue] in
            queue.shutDown()
        }
        queue.shutDown()
        logger.info("All workers finished")
    }

    private func work() async {
        while let key = await queue.next() {
            await process(key)
            queue.done(key)
        }
    }

    /// Reconciles one key and applies the outcome to the queue. Internal so tests can drive a single step.
    func process(_ key: ObjectKey) async {
        var logger = logger
        logger[metadataKey: "object"] = "\(key)"
        let start = clock.now
        defer {
            let elapsed = start.duration(to: clock.now).components
            metrics.reconcileTime.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        }
        do {
            switch try await reconciler.reconcile(key) {
            case .done:
                queue.forget(key)
                metrics.success.increment()
                logger.trace("Reconcile successful")
            case .requeue(let delay):
                queue.forget(key)
                queue.add(key, after: delay)
                metrics.requeueAfter.increment()
                logger.trace("Reconcile done, requeueing", metadata: ["after": "\(delay)"])
            }
        } catch let error as TerminalReconcileError {
            metrics.terminalErrors.increment()
            metrics.errors.increment()
            metrics.error.increment()
            logger.error("Reconciler error, not retrying", metadata: ["error": "\(error.underlying)"])
        } catch {
            queue.addRateLimited(key)
            metrics.errors.increment()
            metrics.error.increment()
            logger.error("Reconciler error", metadata: ["error": "\(error)", "failures": "\(queue.failures(of: key))"])
        }
    }
}
