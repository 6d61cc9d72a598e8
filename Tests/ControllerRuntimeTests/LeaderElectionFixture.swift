import ControllerRuntime
import FleetcastTesting
import Logging

/// Candidates with the default timing on a shared in-memory store and manual clock, without jitter.
struct LeaderElectionFixture {
    let clock = ManualClock()
    let store = InMemoryLeaseStore()

    func candidate(_ identity: String) throws -> LeaderElector<ManualClock> {
        let clock = clock
        return try LeaderElector(
            configuration: LeaderElectionConfiguration(identity: identity),
            store: store,
            clock: clock,
            wallClock: { clock.date },
            randomFraction: { 0 },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }
}
