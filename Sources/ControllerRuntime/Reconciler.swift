/// What a reconcile asks the controller to do next with its key, when it did not throw.
///
/// Errors are not a case here: a reconcile that throws is retried with per-item exponential
/// backoff, and one that throws a ``TerminalReconcileError`` is logged and counted but not
/// retried. There is deliberately no "requeue now with rate limiting" case (controller-runtime
/// deprecated its `Requeue: true`): a reconciler waiting for something should say how long.
public enum ReconcileResult: Sendable, Hashable {
    /// The object is converged; reconcile again only when something changes.
    case done
    /// Reconcile again after this long even if nothing changes (polling, or a known future event
    /// such as a schedule window opening). Resets the key's failure backoff.
    case requeue(after: Duration)
}

/// Converges one object towards its spec. Called with the object's key only; must be idempotent
/// and safe to call at any time, because the controller may call it again for any reason.
public protocol Reconciler: Sendable {
    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult
}

/// Wrap an error in this to say that retrying cannot help (for example an invalid spec that only
/// a user edit can fix; the edit will enqueue the key again). The controller logs it and counts it
/// in `controller_runtime_terminal_reconcile_errors_total` but does not requeue the key.
public struct TerminalReconcileError: Error, CustomStringConvertible {
    public var underlying: any Error

    public init(_ underlying: any Error) {
        self.underlying = underlying
    }

    public var description: String { "terminal error: \(underlying)" }
}
