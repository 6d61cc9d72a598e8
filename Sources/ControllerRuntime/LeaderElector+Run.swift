import ServiceLifecycle

/// Leadership was lost while leading: renewal failed for longer than the renew deadline, or
/// another candidate holds the lease. The process should exit (controller-runtime does) so a
/// fresh start re-joins the election with clean caches.
public struct LeadershipLostError: Error, Sendable, CustomStringConvertible {
    public var identity: String
    public var description: String { "leader election lost: \(identity) could not renew its lease" }
}

extension LeaderElector {
    /// Campaigns for the lease, runs `body` while holding it, and gives it up afterwards.
    ///
    /// - Until elected it retries every `retryPeriod` (with jitter). A graceful shutdown or
    ///   cancellation before election returns without running `body`.
    /// - Once elected it runs `body` and renews the lease every `retryPeriod`. A renewal is retried
    ///   every `retryPeriod` until `renewDeadline`; if it still fails, `body` is cancelled and, once
    ///   it has returned, ``LeadershipLostError`` is thrown.
    /// - Graceful shutdown is left to `body`, which sees it like any service does; the lease is
    ///   renewed until `body` returns, so the work it guards finishes under the lease. Then the
    ///   lease is released (if `releaseOnCancel`, giving up after `releaseTimeout`) and `body`'s
    ///   error, if any, is rethrown.
    /// - A lost lease is not released: ``LeadershipLostError`` is thrown as soon as `body` has
    ///   returned from its cancellation, without another call to the API server.
    public func run(whileLeading body: @escaping @Sendable () async throws -> Void) async throws {
        let acquired = await campaign()
        guard acquired else {
            await releaseEvenIfCancelled()
            return
        }
        logger.info("Acquired lease, starting to lead")
        leadingGauge.record(1)

        let outcome = await withTaskGroup(of: LeadingOutcome.self) { group in
            group.addTask {
                do {
                    try await body()
                    return .bodyReturned(nil)
                } catch {
                    return .bodyReturned(error)
                }
            }
            group.addTask { await self.renewUntilLost() ? .leadershipLost : .renewalCancelled }
            let first = await group.next() ?? .renewalCancelled
            group.cancelAll()
            // Leaving the group waits for `body` to return before the lease is released.
            return first
        }

        leadingGauge.record(0)
        // A lost lease is not ours to release, and the API server that could not renew it will not
        // answer a release either: stop at once (controller-runtime exits the process here).
        if configuration.releaseOnCancel, outcome != .leadershipLost {
            await releaseEvenIfCancelled()
        }
        switch outcome {
        case .bodyReturned(let error?):
            throw error
        case .bodyReturned(nil), .renewalCancelled:
            logger.info("Stopped leading")
        case .leadershipLost:
            logger.error("Leadership lost")
            throw LeadershipLostError(identity: configuration.identity)
        }
    }

    private enum LeadingOutcome: Sendable, Equatable {
        case bodyReturned((any Error)?)
        case leadershipLost
        case renewalCancelled

        static func == (lhs: Self, rhs: Self) -> Bool {
            switch (lhs, rhs) {
            case (.bodyReturned, .bodyReturned), (.leadershipLost, .leadershipLost), (.renewalCancelled, .renewalCancelled): true
            default: false
            }
        }
    }

    /// Tries to acquire until it succeeds; `false` on graceful shutdown or cancellation.
    private func campaign() async -> Bool {
        logger.info("Attempting to acquire leader lease")
        do {
            return try await cancelWhenGracefulShutdown {
                while true {
                    try Task.checkCancellation()
                    if await self.tryAcquireOrRenew() { return true }
                    try await self.clock.sleep(for: self.jitteredRetryPeriod(), tolerance: nil)
                }
            }
        } catch {
            return false
        }
    }

    private func jitteredRetryPeriod() -> Duration {
        configuration.retryPeriod + configuration.retryPeriod * (randomFraction() * configuration.jitterFactor)
    }

    /// Renews every `retryPeriod`. Returns `true` when a renewal has failed until the renew
    /// deadline, `false` when cancelled.
    private func renewUntilLost() async -> Bool {
        while !Task.isCancelled {
            let deadline = clock.now.advanced(by: configuration.renewDeadline)
            var renewed = false
            while true {
                guard let succeeded = await attemptRenewal(before: deadline) else { break }
                if succeeded {
                    renewed = true
                    break
                }
                let next = clock.now.advanced(by: configuration.retryPeriod)
                if next >= deadline { break }
                do { try await clock.sleep(until: next, tolerance: nil) } catch { return false }
            }
            if Task.isCancelled { return false }
            guard renewed else {
                logger.error("Failed to renew lease before the renew deadline", metadata: ["renewDeadline": "\(configuration.renewDeadline)"])
                return true
            }
            do { try await clock.sleep(for: configuration.retryPeriod, tolerance: nil) } catch { return false }
        }
        return false
    }

    /// One renewal attempt, abandoned if it is still running at `deadline` (a hung API call must not
    /// keep a cut-off leader acting). `nil` when the deadline passed or the task was cancelled.
    private func attemptRenewal(before deadline: C.Instant) async -> Bool? {
        await result(before: deadline) { await self.tryAcquireOrRenew() }
    }

    /// Releases from a task that does not inherit this one's cancellation, so a cancelled run still
    /// hands the lease over promptly instead of leaving others to wait out its duration. The attempt
    /// is abandoned after `releaseTimeout`: when the API server is failing, a shutdown must not wait
    /// on it (the lease then simply expires after its duration).
    private func releaseEvenIfCancelled() async {
        let timeout = configuration.releaseTimeout
        let release = Task {
            let released = await self.result(before: self.clock.now.advanced(by: timeout)) { await self.release() } ?? false
            if !released { self.logger.warning("Gave up releasing the lease; it expires on its own", metadata: ["releaseTimeout": "\(timeout)"]) }
        }
        await release.value
    }

    /// `work`'s result, or nil when `deadline` on the elector's clock comes first; the loser is cancelled.
    private nonisolated func result<T: Sendable>(before deadline: C.Instant, of work: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await work() }
            group.addTask {
                try? await self.clock.sleep(until: deadline, tolerance: nil)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
