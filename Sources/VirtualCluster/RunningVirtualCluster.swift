import Foundation
import KubeAPI

/// A started virtual cluster: where it listens, how to authenticate, and the handles tests use to
/// inject faults or issue client certificates.
public final class RunningVirtualCluster: Sendable {
    let api: ClusterAPI
    private let authority: CertificateAuthority
    private let listeners: ListenerSet
    private let host: String
    private let clock: @Sendable () -> Date

    /// The bearer token of the `admin` user.
    public let adminToken: String
    /// Request failures and delays to inject (see `FaultInjector`).
    public var faults: FaultInjector { api.faults }

    init(api: ClusterAPI, authority: CertificateAuthority, adminToken: String, listeners: ListenerSet, host: String,
         clock: @escaping @Sendable () -> Date) {
        self.api = api
        self.authority = authority
        self.adminToken = adminToken
        self.listeners = listeners
        self.host = host
        self.clock = clock
    }

    private var urlHost: String { host.contains(":") ? "[\(host)]" : host }

    /// `https://127.0.0.1:<port>`: the URL to give clients.
    public var baseURL: URL { httpsURL }
    public var httpsURL: URL { URL(string: "https://\(urlHost):\(listeners.httpsPort)") ?? URL(fileURLWithPath: "/") }
    /// The plain-HTTP URL, when that listener is enabled.
    public var httpURL: URL? { listeners.httpPort.flatMap { URL(string: "http://\(urlHost):\($0)") } }
    public var httpsPort: Int { listeners.httpsPort }
    public var httpPort: Int? { listeners.httpPort }

    /// The PEM of the CA that signed the serving certificate (trust it, or pass it to kubectl).
    public var caCertificatePEM: String { authority.certificatePEM }

    /// A client certificate for `user` (common name) in `groups` (organizations), signed by the CA.
    public func issueClientCertificate(user: String, groups: [String] = [], algorithm: ClientKeyAlgorithm = .ecdsaP256) throws -> IssuedCertificate {
        try authority.issueClientCertificate(user: user, groups: groups, algorithm: algorithm, now: clock())
    }

    /// A kubeconfig for the HTTPS endpoint with the CA data and the admin token.
    public func kubeconfig(token: String? = nil, namespace: String = "default") -> String {
        Kubeconfig.text(server: httpsURL.absoluteString, caPEM: caCertificatePEM, token: token ?? adminToken, namespace: namespace)
    }

    /// Writes `kubeconfig()` to `path` (mode 0600).
    public func writeKubeconfig(to path: String, token: String? = nil) throws {
        try Data(kubeconfig(token: token).utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// Creates (or, when it exists, replaces) every object in a multi-document YAML manifest, in
    /// order. Errors name the file and the document.
    public func apply(manifestYAML text: String, file: String) async throws {
        try await ManifestLoader(api: api).apply(yaml: text, file: file)
    }

    /// The cluster's current resourceVersion (the last committed write).
    public var resourceVersion: String { String(api.store.currentRevision) }

    /// How many watch streams are open right now (tests and benchmarks wait on it instead of sleeping).
    public var openWatchCount: Int { api.store.openWatchCount }

    /// Ends every open watch stream, as an API server restart would.
    public func dropAllWatches() {
        api.store.endAllWatches()
    }

    /// Forgets the watch history and expires continue tokens: older resourceVersions answer 410.
    public func compactHistory() {
        api.store.compactHistory()
        api.snapshots.expireAll()
    }

    /// Closes the listening sockets (connections are refused) and reopens them after `duration`.
    /// Returns once they are closed; `waitUntilListening()` waits for the reopening.
    public func refuseConnections(for duration: Duration) async throws {
        api.store.endAllWatches()
        await listeners.closeFor(duration, endingStreams: { [api] in api.store.endAllWatches() })
    }

    /// Returns once the listeners closed by `refuseConnections(for:)` accept connections again, or
    /// throws why they could not be reopened (the error is also logged).
    public func waitUntilListening() async throws {
        try await listeners.waitUntilReopened()
    }

    /// Ends watches, stops the listeners (and any pending reopening) and waits for in-flight requests.
    public func shutdown() async {
        let store = api.store
        await listeners.shutdown { store.endAllWatches() }
    }
}
