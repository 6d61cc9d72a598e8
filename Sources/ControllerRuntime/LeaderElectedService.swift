import ServiceLifecycle

/// Runs services only while this replica holds the leader lease: the controllers that write to
/// the cluster go here, while caches, health and metrics endpoints run on every replica (as in
/// controller-runtime, where only leader-election runnables wait for the lease).
///
/// Graceful shutdown reaches the inner services directly; the lease is renewed until they have
/// all returned and is then released. Losing the lease cancels them and throws
/// ``LeadershipLostError``, which ends the service group and so the process.
public struct LeaderElectedService<C: Clock<Duration>>: Service {
    let elector: LeaderElector<C>
    let services: [any Service]

    public init(elector: LeaderElector<C>, services: [any Service]) {
        self.elector = elector
        self.services = services
    }

    public func run() async throws {
        let services = services
        try await elector.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in services {
                    group.addTask { try await service.run() }
                }
                try await group.waitForAll()
            }
        }
    }
}
