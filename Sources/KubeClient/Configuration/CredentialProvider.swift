import Foundation

/// Request credentials at one moment: a bearer token, basic auth, or a client certificate handed out
/// by an exec plugin.
struct Credentials: Sendable, Hashable {
    var bearerToken: String?
    var basic: BasicCredentials?
    var clientCertificatePEM: Data?
    var clientKeyPEM: Data?

    struct BasicCredentials: Sendable, Hashable {
        var username: String
        var password: String
    }

    static let none = Credentials()

    /// The `Authorization` header value, if any.
    var authorizationHeader: String? {
        if let bearerToken { return "Bearer \(bearerToken)" }
        if let basic { return "Basic \(Data("\(basic.username):\(basic.password)".utf8).base64EncodedString())" }
        return nil
    }
}

/// Produces current credentials, caching what is expensive: token files are re-read after
/// `refreshInterval` (projected tokens rotate), exec plugins are re-run after their expiry. A 401
/// invalidates the cache so the next attempt re-reads or re-runs.
actor CredentialProvider {
    private let authentication: Authentication
    private let refreshInterval: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: Credentials?
    private var cachedUntil: Date?
    private var inFlight: Task<(Credentials, Date?), any Error>?

    init(authentication: Authentication, refreshInterval: TimeInterval, now: @escaping @Sendable () -> Date = { Date() }) {
        self.authentication = authentication
        self.refreshInterval = refreshInterval
        self.now = now
    }

    func credentials() async throws(KubeError) -> Credentials {
        if let cached, cachedUntil.map({ now() < $0 }) ?? true { return cached }
        switch authentication {
        case .none:
            return .none
        case .bearerToken(let token):
            return Credentials(bearerToken: token)
        case .basic(let username, let password):
            return Credentials(basic: .init(username: username, password: password))
        case .tokenFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeError.configuration(ConfigurationError("tokenFile \(path): cannot read"))
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw KubeError.configuration(ConfigurationError("tokenFile \(path): file is empty"))
            }
            let fresh = Credentials(bearerToken: token)
            cached = fresh
            cachedUntil = now().addingTimeInterval(refreshInterval)
            return fresh
        case .exec(let config, let clusterInfo):
            // Concurrent callers share one plugin run.
            let task: Task<(Credentials, Date?), any Error>
            if let inFlight {
                task = inFlight
            } else {
                let plugin = ExecCredentialPlugin(config: config, clusterInfo: clusterInfo)
                task = Task {
                    let credential = try await plugin.run()
                    let fresh = Credentials(bearerToken: credential.token, clientCertificatePEM: credential.clientCertificatePEM, clientKeyPEM: credential.clientKeyPEM)
                    return (fresh, credential.expiration)
                }
                inFlight = task
            }
            defer { inFlight = nil }
            do {
                let (fresh, expiration) = try await task.value
                cached = fresh
                // No expiry: valid until the server answers 401.
                cachedUntil = expiration ?? .distantFuture
                return fresh
            } catch let error as ConfigurationError {
                throw .configuration(error)
            } catch {
                throw .configuration(ConfigurationError("exec plugin \(config.command ?? ""): \(error)"))
            }
        }
    }

    /// Forgets cached credentials after a 401, so the next request re-reads the token file or re-runs
    /// the exec plugin.
    func invalidate() {
        cached = nil
        cachedUntil = nil
    }
}
