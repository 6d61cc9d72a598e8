import CoreMetrics
import Foundation
import Logging

/// Leader election over a ``LeaseStore`` with client-go's semantics (`tools/leaderelection`).
///
/// Expiry is judged by this candidate's own clock: a lease is valid until `leaseDurationSeconds`
/// after the moment this candidate last saw its content change, never by comparing the
/// `renewTime` written by another machine, so clock skew between replicas cannot cause two leaders.
/// ``tryAcquireOrRenew()`` is one step; ``run(whileLeading:)`` (in `LeaderElector+Run.swift`) is
/// the campaign, renewal and release loop around it.
public actor LeaderElector<C: Clock<Duration>> {
    public let configuration: LeaderElectionConfiguration
    let store: any LeaseStore
    let clock: C
    let wallClock: @Sendable () -> Date
    let randomFraction: @Sendable () -> Double
    let logger: Logger
    let onNewLeader: (@Sendable (String) -> Void)?
    /// client-go's `leader_election_master_status`: 1 while this replica leads, else 0.
    let leadingGauge: Gauge

    /// The lease content last seen, and when (on `clock`) it was first seen with that content.
    private(set) var observedRecord: LeaseRecord?
    private var observedTime: C.Instant?
    /// The resourceVersion of the last lease object read or written, for the next update.
    private var latestResourceVersion: String?
    private var reportedLeader: String?

    /// - Parameters:
    ///   - wallClock: stamps `acquireTime`/`renewTime` in the lease (informational for humans;
    ///     expiry uses `clock`).
    ///   - randomFraction: a number in `[0, 1)` for acquire jitter; tests pass `{ 0 }`.
    ///   - onNewLeader: called whenever the observed holder changes (client-go's `OnNewLeader`).
    ///   - leaseName: names the election in metrics.
    ///   - metricsFactory: where `leader_election_master_status` goes; no global bootstrap.
    public init(
        configuration: LeaderElectionConfiguration,
        store: any LeaseStore,
        clock: C,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        randomFraction: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger,
        onNewLeader: (@Sendable (String) -> Void)? = nil,
        leaseName: String = "fleetcast-operator-leader",
        metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance
    ) throws(LeaderElectionConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.wallClock = wallClock
        self.randomFraction = randomFraction
        var logger = logger
        logger[metadataKey: "leader-election.identity"] = "\(configuration.identity)"
        self.logger = logger
        self.onNewLeader = onNewLeader
        self.leadingGauge = Gauge(label: "leader_election_master_status", dimensions: [("name", leaseName)], factory: metricsFactory)
        leadingGauge.record(0)
    }

    /// Whether this candidate held the lease when it last looked.
    public var isLeader: Bool {
        observedRecord?.holderIdentity == configuration.identity
    }

    /// The holder this candidate last saw; empty or `nil` when nobody holds the lease.
    public var leader: String? { observedRecord?.holderIdentity }

    /// One attempt to acquire the lease or renew it (client-go's `tryAcquireOrRenew`). Returns
    /// whether this candidate holds the lease afterwards. Store errors count as "not held".
    public func tryAcquireOrRenew() async -> Bool {
        let now = clock.now
        let stamp = wallClock()
        var desired = LeaseRecord(
            holderIdentity: configuration.identity,
            leaseDurationSeconds: Int(configuration.leaseDuration.components.seconds),
            acquireTime: stamp,
            renewTime: stamp
        )

        // 1. Fast path: a leader whose lease is still valid updates optimistically.
        if isLeader, isLeaseValid(at: now), let observed = observedRecord {
            desired.acquireTime = observed.acquireTime
            desired.leaseTransitions = observed.leaseTransitions
            desired.resourceVersion = latestResourceVersion
            do {
                setObserved(try await store.update(desired))
                return true
            } catch {
                logger.info("Failed to update lease optimistically, falling back to slow path", metadata: ["error": "\(error)"])
            }
        }

        // 2. Read the lease, creating it if it does not exist.
        let current: LeaseRecord
        do {
            guard let existing = try await store.get() else {
                desired.resourceVersion = nil
                setObserved(try await store.create(desired))
                return true
            }
            current = existing
        } catch {
            logger.info("Failed to get or create lease", metadata: ["error": "\(error)"])
            return false
        }

        // 3. Restart the expiry countdown only if the content changed.
        latestResourceVersion = current.resourceVersion
        if let observed = observedRecord, observed.hasSameSpec(as: current) {
            observedRecord = current
        } else {
            setObserved(current)
        }
        if !current.holderIdentity.isEmpty, isLeaseValid(at: now), !isLeader {
            logger.trace("Lease is held by another candidate and has not expired", metadata: ["holder": "\(current.holderIdentity)"])
            return false
        }

        // 4. Take it over (or renew after a failed fast path).
        if isLeader {
            desired.acquireTime = current.acquireTime
            desired.leaseTransitions = current.leaseTransitions
        } else {
            desired.leaseTransitions = current.leaseTransitions + 1
        }
        desired.resourceVersion = current.resourceVersion
        do {
            setObserved(try await store.update(desired))
            return true
        } catch {
            logger.info("Failed to acquire or renew lease", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Gives the lease up if this candidate holds it, so another can take over at once: the holder
    /// is cleared and the duration set to one second, keeping the transition count (client-go's
    /// `release`). Returns whether the lease is no longer ours.
    @discardableResult
    public func release() async -> Bool {
        guard isLeader, let observed = observedRecord else { return true }
        let stamp = wallClock()
        let released = LeaseRecord(
            holderIdentity: "",
            leaseDurationSeconds: 1,
            acquireTime: stamp,
            renewTime: stamp,
            leaseTransitions: observed.leaseTransitions,
            resourceVersion: latestResourceVersion
        )
        do {
            setObserved(try await store.update(released))
            logger.info("Released lease")
            return true
        } catch {
            logger.error("Failed to release lease", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Valid while less than the lease duration has passed since the content was last seen to change.
    func isLeaseValid(at now: C.Instant) -> Bool {
        guard let observedRecord, let observedTime else { return false }
        return now < observedTime.advanced(by: .seconds(observedRecord.leaseDurationSeconds))
    }

    private func setObserved(_ record: LeaseRecord) {
        observedRecord = record
        observedTime = clock.now
        latestResourceVersion = record.resourceVersion
        if record.holderIdentity != reportedLeader {
            reportedLeader = record.holderIdentity
            if !record.holderIdentity.isEmpty {
                logger.info("New leader observed", metadata: ["leader": "\(record.holderIdentity)"])
                onNewLeader?(record.holderIdentity)
            }
        }
    }
}
