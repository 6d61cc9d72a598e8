import Foundation
import KubeClient

/// When to speak up about one informer cache that cannot follow the API server, decided from what
/// the cache reports (since when it has failed, with which error) and the time. Pure, so the rules are
/// table-tested: a blind operator is never silent, and never floods the log either.
///
/// - A cache out of sync for `staleLimit` (the limit after which pools are held) is reported once as a
///   warning, then repeated every `repeatInterval` while it lasts.
/// - A permanent failure (a TLS, certificate or credential problem that no retry can fix) is reported
///   as an error the first time it is seen, without waiting for the limit, and again when it changes.
/// - A cache that recovers after a warning or an error is reported once, saying for how long it was blind.
struct ObservationAlarm: Sendable, Hashable {
    enum Announcement: Sendable, Hashable {
        /// Out of sync longer than the limit (first time, or a rate-limited repeat).
        case stale(since: Date, lastError: String?)
        /// A failure that retrying cannot fix: say it now.
        case permanentFailure(String)
        /// Back in sync after having been reported; `blindFor` seconds without a picture.
        case recovered(blindFor: TimeInterval)
    }

    var staleLimit: TimeInterval
    var repeatInterval: TimeInterval = 300
    private var lastStaleWarning: Date?
    private var reportedPermanentFailure: String?
    private var reportedSince: Date?

    init(staleLimit: TimeInterval, repeatInterval: TimeInterval = 300) {
        self.staleLimit = staleLimit
        self.repeatInterval = repeatInterval
    }

    /// What to say now, if anything, given the cache's state.
    mutating func evaluate(outOfSyncSince: Date?, lastError: KubeError?, now: Date) -> [Announcement] {
        guard let since = outOfSyncSince else {
            defer { reset() }
            guard let reportedSince else { return [] }
            return [.recovered(blindFor: max(0, now.timeIntervalSince(reportedSince)))]
        }
        var announcements: [Announcement] = []
        if case .transport(let failure)? = lastError, failure.isPermanent, reportedPermanentFailure != failure.description {
            reportedPermanentFailure = failure.description
            reportedSince = reportedSince ?? since
            announcements.append(.permanentFailure(failure.description))
        }
        if now.timeIntervalSince(since) >= staleLimit,
           lastStaleWarning.map({ now.timeIntervalSince($0) >= repeatInterval }) ?? true {
            lastStaleWarning = now
            reportedSince = reportedSince ?? since
            announcements.append(.stale(since: since, lastError: lastError?.description))
        }
        return announcements
    }

    private mutating func reset() {
        lastStaleWarning = nil
        reportedPermanentFailure = nil
        reportedSince = nil
    }
}
