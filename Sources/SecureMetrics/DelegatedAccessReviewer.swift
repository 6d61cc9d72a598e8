import CSystemCrypto
import Foundation
import KubeAPI
import KubeClient
import Synchronization

/// Who may read a protected endpoint, decided by the API server as kubebuilder's secure metrics
/// (controller-runtime's `filters.WithAuthenticationAndAuthorization`) decide it: the bearer token is
/// sent in a TokenReview, the user it names in a SubjectAccessReview for the non-resource URL and verb.
/// Answers are cached as controller-runtime caches them (tokens 1 minute, allowed 5 minutes, denied
/// 30 seconds) so a scrape every few seconds costs the API server nothing; failures are not cached.
public final class DelegatedAccessReviewer: Sendable {
    /// The outcome of one request, mapped to HTTP by the middleware.
    public enum Decision: Sendable, Hashable {
        case allowed(user: String)
        /// No bearer token, or one the API server does not know (401).
        case unauthenticated
        /// An authenticated user the API server's authorizer denies (403).
        case forbidden(user: String)
        /// The API server could not be asked (500); nothing is cached.
        case reviewFailed(String)
    }

    /// How long answers are kept.
    public struct CacheDurations: Sendable, Hashable {
        public var authentication: Duration
        public var allowed: Duration
        public var denied: Duration

        public init(authentication: Duration = .seconds(60), allowed: Duration = .seconds(300), denied: Duration = .seconds(30)) {
            self.authentication = authentication
            self.allowed = allowed
            self.denied = denied
        }
    }

    private struct Cached<Value: Sendable>: Sendable {
        var value: Value
        var expires: ContinuousClock.Instant
    }

    private struct AccessKey: Hashable, Sendable {
        var user: ReviewedUser
        var path: String
        var verb: String
    }

    /// The users tokens named (nil: the token did not authenticate), keyed by the token's SHA-256.
    private let users = Mutex<[Data: Cached<ReviewedUser?>]>([:])
    private let access = Mutex<[AccessKey: Cached<Bool>]>([:])
    private let client: KubeClient
    private let durations: CacheDurations
    private let now: @Sendable () -> ContinuousClock.Instant

    public init(client: KubeClient, durations: CacheDurations = CacheDurations(),
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.client = client
        self.durations = durations
        self.now = now
    }

    /// Reviews a request's `Authorization` header for `verb path`.
    public func review(authorization: String?, path: String, verb: String) async -> Decision {
        guard let token = Self.bearerToken(authorization) else { return .unauthenticated }
        let user: ReviewedUser?
        do {
            user = try await authenticate(token)
        } catch {
            return .reviewFailed("TokenReview: \(error)")
        }
        guard let user, let name = user.username, !name.isEmpty else { return .unauthenticated }
        do {
            return try await authorize(user, path: path, verb: verb) ? .allowed(user: name) : .forbidden(user: name)
        } catch {
            return .reviewFailed("SubjectAccessReview: \(error)")
        }
    }

    /// The token of an `Authorization: Bearer …` header, as the API server reads it.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The cache key of a token: its SHA-256 (libcrypto's), so the cache never holds a token itself;
    /// nil if libcrypto fails, and the answer is then not cached.
    static func sha256(_ token: String) -> Data? {
        var digest = [UInt8](repeating: 0, count: 32)
        let bytes = Array(token.utf8)
        let status = bytes.withUnsafeBytes { fleetcast_sha256($0.baseAddress, $0.count, &digest) }
        return status == 0 ? Data(digest) : nil
    }

    private func authenticate(_ token: String) async throws(KubeError) -> ReviewedUser? {
        let key = Self.sha256(token)
        let instant = now()
        if let key, let cached = users.withLock({ $0[key] }), cached.expires > instant { return cached.value }
        let answer = try await client.create(TokenReview.descriptor, namespace: nil, object: TokenReview(token: token))
        let user = answer.status?.authenticated == true ? answer.status?.user : nil
        if let key {
            users.withLock { entries in
                entries = entries.filter { $0.value.expires > instant }
                entries[key] = Cached(value: user, expires: instant.advanced(by: durations.authentication))
            }
        }
        return user
    }

    private func authorize(_ user: ReviewedUser, path: String, verb: String) async throws(KubeError) -> Bool {
        let key = AccessKey(user: user, path: path, verb: verb)
        let instant = now()
        if let cached = access.withLock({ $0[key] }), cached.expires > instant { return cached.value }
        let answer = try await client.create(SubjectAccessReview.descriptor, namespace: nil,
                                             object: SubjectAccessReview(user: user, nonResourcePath: path, verb: verb))
        let allowed = answer.status?.allowed == true
        access.withLock { entries in
            entries = entries.filter { $0.value.expires > instant }
            entries[key] = Cached(value: allowed, expires: instant.advanced(by: allowed ? durations.allowed : durations.denied))
        }
        return allowed
    }
}
