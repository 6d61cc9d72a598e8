import Foundation
import Synchronization

/// The bearer tokens the server accepts: those it was configured with (never expire) and the
/// ServiceAccount tokens it issued through TokenRequest (`kubectl create token`), which expire like
/// the real ones. Shared by authentication and the `serviceaccounts/token` subresource.
final class TokenRegistry: Sendable {
    private struct Entry: Sendable {
        var user: String
        var expires: Date?
    }

    private let entries: Mutex<[String: Entry]>
    private let clock: @Sendable () -> Date

    init(_ configured: [String: String], clock: @escaping @Sendable () -> Date) {
        entries = Mutex(configured.mapValues { Entry(user: $0, expires: nil) })
        self.clock = clock
    }

    /// The user a token belongs to, or `nil` when it is unknown or has expired.
    func user(for token: String) -> String? {
        let now = clock()
        return entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            if let expires = entry.expires, expires <= now { return nil }
            return entry.user
        }
    }

    /// A new random token for `user`, valid until `expires`.
    func issue(for user: String, expires: Date) -> String {
        let token = VirtualCluster.randomToken()
        entries.withLock { $0[token] = Entry(user: user, expires: expires) }
        return token
    }
}
