import Foundation
import KubeAPI
import Logging
import NIOSSL

/// How to start a virtual cluster. The defaults suit tests: loopback, free ports, HTTPS plus a
/// plain-HTTP listener, an admin token, authentication required.
public struct VirtualClusterConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// HTTPS port; 0 picks a free one.
    public var httpsPort: Int = 0
    /// Plain-HTTP port (0 picks a free one); `nil` disables the plain listener. Note that kubectl
    /// sends no credentials over plain HTTP, so it needs `allowAnonymous` there.
    public var httpPort: Int? = 0
    /// Extra bearer tokens: token → user name. The admin token is always accepted.
    public var tokens: [String: String] = [:]
    /// A fixed admin token (random when `nil`).
    public var adminToken: String?
    /// Whether requests without credentials are served (as `system:anonymous`).
    public var allowAnonymous: Bool = false
    /// Whether resource requests are authorized by the RBAC objects in the cluster. Off by default (every
    /// authenticated user may do everything); the admin token's user always may.
    public var authorizeWithRBAC: Bool = false
    /// How many events the watch history keeps; older resourceVersions answer 410 Expired.
    public var watchHistoryCapacity: Int = 10_000
    /// How long `continue` tokens stay valid.
    public var continueTokenLifetime: Duration = .seconds(300)
    /// How often watches with `allowWatchBookmarks=true` get a BOOKMARK.
    public var bookmarkInterval: Duration = .seconds(60)
    /// The clock stamping creation and deletion timestamps.
    public var clock: @Sendable () -> Date = { Date() }
    /// Where the HTTP servers log (warnings and errors by default).
    public var logger: Logger = {
        var logger = Logger(label: "fleetcast.virtual-cluster")
        logger.logLevel = .warning
        return logger
    }()

    public init() {}
}

/// A Kubernetes-compatible API server for tests, demos and `fleetcast dev-cluster`.
public enum VirtualCluster {
    /// Starts the listeners and returns once they accept connections.
    public static func start(_ configuration: VirtualClusterConfiguration = VirtualClusterConfiguration()) async throws -> RunningVirtualCluster {
        let authority = try CertificateAuthority(now: configuration.clock())
        let adminToken = configuration.adminToken ?? randomToken()
        var configuredTokens = configuration.tokens
        configuredTokens[adminToken] = "admin"
        let tokens = TokenRegistry(configuredTokens, clock: configuration.clock)
        let store = ObjectStore(historyCapacity: configuration.watchHistoryCapacity, clock: configuration.clock)
        let registry = ResourceRegistry()
        let faults = FaultInjector()
        let api = ClusterAPI(store: store, registry: registry, snapshots: ListSnapshots(lifetime: configuration.continueTokenLifetime),
                             faults: faults, bookmarkInterval: configuration.bookmarkInterval, serverAddress: configuration.host, tokens: tokens,
                             authorizer: configuration.authorizeWithRBAC ? RBACAuthorizer(store: store, superusers: ["admin"]) : nil)
        try api.createInitialNamespaces()
        let responder = ClusterResponder(api: api, authentication: Authentication(tokens: tokens, allowAnonymous: configuration.allowAnonymous),
                                         faults: faults)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(authority.serving.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(authority.serving.privateKeyPEM.utf8), format: .pem))
        )
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(authority.certificatePEM.utf8)))
        let listeners = try await ListenerSet.start(responder: responder, host: configuration.host, httpsPort: configuration.httpsPort,
                                                    httpPort: configuration.httpPort, tls: tls, logger: configuration.logger)
        let cluster = RunningVirtualCluster(api: api, authority: authority, adminToken: adminToken, listeners: listeners,
                                            host: configuration.host, clock: configuration.clock)
        faults.connectionRefuser.withLock { refuser in
            refuser = { [weak cluster] duration in
                guard let cluster else { return }
                Task { try? await cluster.refuseConnections(for: duration) }
            }
        }
        return cluster
    }

    static func randomToken() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}

extension ClusterAPI {
    func createInitialNamespaces() throws {
        for name in BuiltinResources.initialNamespaces {
            let namespace: JSONValue = .object(["apiVersion": .string("v1"), "kind": .string("Namespace"),
                                                    "metadata": .object(["name": .string(name)]),
                                                    "status": .object(["phase": .string("Active")])])
            _ = try store.commit { _ throws(APIError) -> [StoreChange] in
                [StoreChange(key: ResourceKey(group: "", resource: "namespaces"), namespace: "", name: name, object: namespace)]
            }
        }
    }
}
