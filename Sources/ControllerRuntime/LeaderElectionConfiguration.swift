/// Timing of leader election. The defaults are client-go's and controller-runtime's: a 15 s lease,
/// a 10 s renew deadline and a 2 s retry period, so a crashed leader is replaced within about 17 s
/// and a leader cut off from the API server stops acting at least 5 s before anyone else may start.
public struct LeaderElectionConfiguration: Sendable, Hashable {
    /// This candidate's name in the lease (the pod name, usually with a random suffix).
    public var identity: String
    /// How long non-leaders wait after last seeing the lease change before taking it over.
    public var leaseDuration: Duration
    /// How long the leader keeps retrying a failed renewal before it gives up leadership.
    public var renewDeadline: Duration
    /// How long to wait between attempts to acquire or renew.
    public var retryPeriod: Duration
    /// Acquire attempts wait `retryPeriod * (1 + random * jitterFactor)`, so candidates spread out.
    public var jitterFactor: Double
    /// Whether stepping down clears the lease, so another candidate takes over at once instead of
    /// waiting out the lease duration. Safe because the work guarded by the lease has stopped first.
    public var releaseOnCancel: Bool
    /// How long stepping down waits for the release to be written before giving up on it, so a
    /// shutdown while the API server fails is not held by the client's retries.
    public var releaseTimeout: Duration

    public init(
        identity: String,
        leaseDuration: Duration = .seconds(15),
        renewDeadline: Duration = .seconds(10),
        retryPeriod: Duration = .seconds(2),
        jitterFactor: Double = 1.2,
        releaseOnCancel: Bool = true,
        releaseTimeout: Duration = .seconds(2)
    ) {
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.jitterFactor = jitterFactor
        self.releaseOnCancel = releaseOnCancel
        self.releaseTimeout = releaseTimeout
    }

    /// The checks client-go's `NewLeaderElector` makes: a leader must give up before its lease can
    /// expire in others' eyes, and must be able to retry at least once before that.
    public func validate() throws(LeaderElectionConfigurationError) {
        if identity.isEmpty { throw .init(message: "identity must not be empty") }
        if leaseDuration <= renewDeadline { throw .init(message: "leaseDuration must be greater than renewDeadline") }
        if retryPeriod <= .zero { throw .init(message: "retryPeriod must be greater than zero") }
        if jitterFactor < 0 { throw .init(message: "jitterFactor must not be negative") }
        if renewDeadline <= retryPeriod * jitterFactor {
            throw .init(message: "renewDeadline must be greater than retryPeriod*jitterFactor")
        }
        if leaseDuration < .seconds(1) { throw .init(message: "leaseDuration must be at least one second") }
    }
}

public struct LeaderElectionConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { "invalid leader election configuration: \(message)" }
}
