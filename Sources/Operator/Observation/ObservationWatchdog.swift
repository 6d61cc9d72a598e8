import Foundation
import KubeAPI
import KubeClient
import Logging
import Synchronization

/// Watches the informers for blindness and says so in the log: a warning when a cache has been out
/// of sync with the API server for longer than the stale limit (rate-limited), an error at once for a
/// TLS or credential failure, and a notice when the cache recovers. `/readyz` uses `blindCaches` to
/// report the same condition to the kubelet.
final class ObservationWatchdog: Sendable {
    /// One watched cache: its name in messages and how to read its state.
    struct Cache: Sendable {
        var name: String
        var outOfSyncSince: @Sendable () -> Date?
        var lastError: @Sendable () -> KubeError?
    }

    let caches: [Cache]
    let staleLimit: TimeInterval
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let alarms: Mutex<[String: ObservationAlarm]>

    init(caches: [Cache], staleLimit: TimeInterval, repeatInterval: TimeInterval = 300, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.caches = caches
        self.staleLimit = staleLimit
        self.now = now
        self.logger = logger
        alarms = Mutex(Dictionary(uniqueKeysWithValues: caches.map { ($0.name, ObservationAlarm(staleLimit: staleLimit, repeatInterval: repeatInterval)) }))
    }

    /// The caches that are out of sync for longer than the stale limit now.
    func blindCaches() -> [String] {
        let now = now()
        return caches.filter { cache in
            cache.outOfSyncSince().map { now.timeIntervalSince($0) >= staleLimit } ?? false
        }.map(\.name)
    }

    /// Looks at every cache once and logs what the alarms decide.
    func check() {
        let now = now()
        for cache in caches {
            let since = cache.outOfSyncSince(), error = cache.lastError()
            let announcements = alarms.withLock { $0[cache.name]?.evaluate(outOfSyncSince: since, lastError: error, now: now) ?? [] }
            for announcement in announcements { log(announcement, cache: cache.name) }
        }
    }

    private func log(_ announcement: ObservationAlarm.Announcement, cache: String) {
        switch announcement {
        case .stale(let since, let lastError):
            var metadata: Logger.Metadata = ["cache": "\(cache)", "outOfSyncSince": "\(KubeTime.format(since))",
                                             "staleLimitSeconds": "\(Int(staleLimit.rounded()))"]
            if let lastError { metadata["error"] = "\(lastError)" }
            logger.warning("The \(cache) cache has been out of sync with the API server for longer than the stale limit; pools are held at their size (no scale-down) until it recovers",
                           metadata: metadata)
        case .permanentFailure(let message):
            logger.error("The \(cache) cache cannot reach the API server, and retrying will not help until the configuration is fixed",
                         metadata: ["cache": "\(cache)", "error": "\(message)"])
        case .recovered(let blindFor):
            logger.notice("The \(cache) cache is back in sync with the API server",
                          metadata: ["cache": "\(cache)", "blindSeconds": "\(Int(blindFor.rounded()))"])
        }
    }

    /// Checks every `interval` until cancelled.
    func run(every interval: Duration) async {
        while !Task.isCancelled {
            check()
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
