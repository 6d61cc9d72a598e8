import Foundation
import KubeAPI

/// Whether the pod and node caches can be trusted to shrink a pool. A cache that cannot list or
/// watch keeps showing the last state it saw, and a frozen picture of demand is exactly how an
/// operator would remove nodes that new pods need. A short outage (a watch re-established, a
/// relist after a 410) is normal and tolerated; one longer than `limit` makes the operator hold
/// the pool's size and report `Degraded=True, ObservationStale` until the caches recover.
enum ObservationFreshness: Sendable, Hashable {
    /// The caches follow the API server (or have been failing for less than the limit).
    case current
    /// The caches have never completed a first list: there is nothing to decide a scale-down on.
    case neverSynced
    /// Listing or watching has failed since `since`, for at least `limit` seconds.
    case stale(since: Date, limit: TimeInterval)

    /// The default limit: two default reconcile periods, so one slow reconnect does not degrade a
    /// pool, and a dead watch is noticed within a couple of minutes.
    static let defaultLimit: TimeInterval = 60

    /// - Parameters:
    ///   - hasSynced: whether every cache has been filled once.
    ///   - outOfSyncSince: the earliest instant since which a cache has been failing, if one is.
    init(hasSynced: Bool, outOfSyncSince: Date?, now: Date, limit: TimeInterval) {
        if !hasSynced {
            self = .neverSynced
        } else if let since = outOfSyncSince, now.timeIntervalSince(since) >= limit {
            self = .stale(since: since, limit: limit)
        } else {
            self = .current
        }
    }

    /// Whether a decision may shrink the pool and record demand in the history.
    var isFresh: Bool { self == .current }

    /// The `Degraded` message for a stale observation, naming since when the caches have been blind.
    /// It names an instant rather than a growing duration, so the status is not rewritten every tick.
    var degradedMessage: String? {
        switch self {
        case .current:
            return nil
        case .neverSynced:
            return "Pod and node caches have not completed their first list from the API server; holding the current size (no scale-down)."
        case .stale(let since, let limit):
            return "Pod and node caches have not been in sync with the API server since \(KubeTime.format(since)) "
                + "(longer than the \(Int(limit.rounded()))s limit); holding the current size (no scale-down) until they recover."
        }
    }
}
