import Foundation

/// Everything the client needs to reach one API server as one identity: the resolved form of a
/// kubeconfig context or of the in-cluster environment. Certificates are held as PEM bytes so the
/// transport can hand them to libcurl as in-memory blobs whether they came from a file or from data.
public struct ClientConfiguration: Sendable {
    /// `https://host:port` (a path prefix is allowed), without a trailing slash.
    public var server: String
    public var tls: TLSSettings
    public var authentication: Authentication
    /// The namespace of the selected context (or the pod's), `default` when none is set.
    public var namespace: String
    public var userAgent: String = "fleetcast-kubeclient/1.0"
    /// Connect timeout for every request.
    public var connectTimeout: TimeInterval = 10
    /// Whole-request timeout for unary calls; watches have none and rely on `watchLowSpeedTime`.
    public var requestTimeout: TimeInterval = 60
    /// A watch whose stream carries fewer than 1 byte/s for this long is treated as dead. The server
    /// sends bookmarks only when asked, so the client also asks for TCP keep-alive probes.
    public var watchLowSpeedTime: TimeInterval = 600
    public var compression: Bool = true
    /// Client-side rate limit: steady requests per second and burst, as client-go's QPS/Burst.
    public var rateLimit: RateLimit = RateLimit(requestsPerSecond: 50, burst: 100)
    public var retry: RetryPolicy = RetryPolicy()
    /// How often a token file is re-read (projected service-account tokens rotate).
    public var tokenFileRefreshInterval: TimeInterval = 60

    public init(server: String, tls: TLSSettings = TLSSettings(), authentication: Authentication = .none, namespace: String = "default") {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.authentication = authentication
        self.namespace = namespace
    }

    /// Whether credentials may be sent: like kubectl, never over plain HTTP.
    public var sendsCredentials: Bool { server.lowercased().hasPrefix("https://") }
}

/// How the server's certificate is checked and which client certificate is presented.
public struct TLSSettings: Sendable, Hashable {
    /// PEM bundle of trusted roots; `nil` uses the system store.
    public var certificateAuthorityPEM: Data?
    public var insecureSkipVerify: Bool
    /// Overrides the name checked against the server certificate (SNI too).
    public var serverName: String?
    public var clientCertificatePEM: Data?
    public var clientKeyPEM: Data?

    public init(certificateAuthorityPEM: Data? = nil, insecureSkipVerify: Bool = false, serverName: String? = nil, clientCertificatePEM: Data? = nil, clientKeyPEM: Data? = nil) {
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
    }
}

/// Where request credentials come from. Client certificates are part of `TLSSettings` instead.
public enum Authentication: Sendable, Hashable {
    case none
    case bearerToken(String)
    /// A token re-read from this path every `tokenFileRefreshInterval` and after a 401.
    case tokenFile(path: String)
    case basic(username: String, password: String)
    /// An exec credential plugin; `clusterInfo` is passed when the config asks for it.
    case exec(ExecConfig, clusterInfo: ExecClusterInfo?)
}

/// What `provideClusterInfo: true` hands the plugin in `spec.cluster`.
public struct ExecClusterInfo: Codable, Sendable, Hashable {
    public var server: String
    public var tlsServerName: String?
    public var insecureSkipTLSVerify: Bool?
    public var certificateAuthorityData: String?

    enum CodingKeys: String, CodingKey {
        case server
        case tlsServerName = "tls-server-name"
        case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        case certificateAuthorityData = "certificate-authority-data"
    }
}
