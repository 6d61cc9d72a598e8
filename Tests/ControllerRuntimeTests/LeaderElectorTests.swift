import ControllerRuntime
import FleetcastTesting
import Logging
import Testing

/// Two candidates on one store, moved step by step on a manual clock.
// A broken queue or loop shows as a task that never resumes; the limit turns that hang into a failure.
@Suite(.timeLimit(.minutes(10))) struct LeaderElectorTests {
    let fixture = LeaderElectionFixture()
    var clock: ManualClock { fixture.clock }
    var store: InMemoryLeaseStore { fixture.store }

    func candidate(_ identity: String) throws -> LeaderElector<ManualClock> {
        try fixture.candidate(identity)
    }

    @Test func theFirstCandidateCreatesTheLeaseAndTheSecondWaits() async throws {
        let a = try candidate("a"), b = try candidate("b")
        #expect(await a.tryAcquireOrRenew())
        #expect(await a.isLeader)
        #expect(store.record?.holderIdentity == "a")
        #expect(store.record?.leaseDurationSeconds == 15)
        #expect(store.record?.leaseTransitions == 0)
        #expect(store.record?.acquireTime == clock.date)
        #expect(await b.tryAcquireOrRenew() == false)
        #expect(await b.isLeader == false)
        #expect(await b.leader == "a")
    }

    @Test func renewingKeepsTheAcquireTimeAndKeepsOthersOut() async throws {
        let a = try candidate("a"), b = try candidate("b")
        let acquiredAt = clock.date
        #expect(await a.tryAcquireOrRenew())
        // Forty seconds of renewals every 2 s: b keeps seeing the lease change, so it never expires for b.
        for _ in 0..<20 {
            clock.advance(by: .seconds(2))
            #expect(await a.tryAcquireOrRenew())
            #expect(await b.tryAcquireOrRenew() == false)
        }
        #expect(store.record?.acquireTime == acquiredAt)
        #expect(store.record?.renewTime == clock.date)
        #expect(store.record?.leaseTransitions == 0)
    }

    @Test func aSilentLeaderIsReplacedAfterTheLeaseDurationFromTheLastChangeSeen() async throws {
        let a = try candidate("a"), b = try candidate("b")
        #expect(await a.tryAcquireOrRenew())
        clock.advance(by: .seconds(3))
        #expect(await b.tryAcquireOrRenew() == false)  // b first sees the lease at T+3
        clock.advance(by: .seconds(14))
        #expect(await b.tryAcquireOrRenew() == false)  // T+17: 14 s since b saw it change
        clock.advance(by: .seconds(1))
        #expect(await b.tryAcquireOrRenew())           // T+18: 15 s, expired in b's eyes
        #expect(store.record?.holderIdentity == "b")
        #expect(store.record?.leaseTransitions == 1)
        #expect(store.record?.acquireTime == clock.date)
        // The old leader comes back: its own view has expired too, it reads b's lease and stays out.
        #expect(await a.tryAcquireOrRenew() == false)
        #expect(await a.isLeader == false)
        #expect(await a.leader == "b")
    }

    @Test func aLeaderWhoseLeaseWasTakenStepsDownOnConflict() async throws {
        let a = try candidate("a")
        #expect(await a.tryAcquireOrRenew())
        store.overwrite(LeaseRecord(holderIdentity: "c", leaseDurationSeconds: 15, leaseTransitions: 1))
        clock.advance(by: .seconds(2))
        // The optimistic update conflicts; the slow path sees c's fresh lease.
        #expect(await a.tryAcquireOrRenew() == false)
        #expect(await a.isLeader == false)
        #expect(store.record?.holderIdentity == "c")
    }

    @Test func releasingLetsTheNextCandidateTakeOverAtOnce() async throws {
        let a = try candidate("a"), b = try candidate("b")
        #expect(await a.tryAcquireOrRenew())
        #expect(await b.tryAcquireOrRenew() == false)
        #expect(await a.release())
        #expect(store.record?.holderIdentity == "")
        #expect(store.record?.leaseDurationSeconds == 1)
        #expect(store.record?.leaseTransitions == 0)
        #expect(await a.isLeader == false)
        // No waiting for the lease to expire: an empty holder may be taken.
        #expect(await b.tryAcquireOrRenew())
        #expect(store.record?.holderIdentity == "b")
        #expect(store.record?.leaseTransitions == 1)
        #expect(store.record?.leaseDurationSeconds == 15)
        // Releasing a lease one does not hold writes nothing.
        let writes = store.writes
        #expect(await a.release())
        #expect(store.writes == writes)
    }

    @Test func onlyOneOfTwoSimultaneousCreatorsWins() async throws {
        let a = try candidate("a"), b = try candidate("b")
        async let aWon = a.tryAcquireOrRenew()
        async let bWon = b.tryAcquireOrRenew()
        let results = await [aWon, bWon]
        #expect(results.filter { $0 }.count == 1)
    }

    @Test func anUnreachableStoreMeansNotLeading() async throws {
        let a = try candidate("a")
        store.isAvailable = false
        #expect(await a.tryAcquireOrRenew() == false)
        store.isAvailable = true
        #expect(await a.tryAcquireOrRenew())
    }

    @Test(arguments: [
        // (lease, renew deadline, retry period, valid?)
        (15, 10, 2, true),
        (10, 10, 2, false),  // the lease must outlast the renew deadline
        (15, 2, 2, false),   // renew deadline must exceed retryPeriod * 1.2
        (15, 10, 0, false),
    ])
    func configurationIsCheckedAsClientGoChecksIt(lease: Int, renew: Int, retry: Int, valid: Bool) {
        let configuration = LeaderElectionConfiguration(
            identity: "a", leaseDuration: .seconds(lease), renewDeadline: .seconds(renew), retryPeriod: .seconds(retry))
        let isValid = (try? configuration.validate()) != nil
        #expect(isValid == valid)
    }
}
