import Foundation
import KubeClient

/// Where the operator (or a CLI command) reads demand from: one Prometheus server, reached through
/// the same libcurl transport as the Kubernetes API (TLS, connection reuse, bounded retries,
/// timeouts). Built from `--prometheus-url`, `--prometheus-bearer-token-file`, `--prometheus-ca-file`
/// and `--prometheus-timeout`.
public struct PrometheusConfiguration: Sendable {
    /// `http(s)://host:port` with an optional path prefix (`https://monitoring.example/prometheus`).
    public var url: String
    /// A bearer token re-read from this file (projected service-account tokens rotate); sent only
    /// over HTTPS, like every credential of the Kubernetes client.
    public var bearerTokenFile: String?
    /// PEM bundle of the authorities the server's certificate must chain to; nil: the system store.
    public var certificateAuthorityFile: String?
    /// Whole-request timeout, also sent to Prometheus as its own evaluation `timeout`.
    public var timeout: TimeInterval
    /// Retries of a failed request (connection refused, 502/503/504, timeouts). Kept small: a pool
    /// whose Prometheus is down falls back to its own history instead of waiting.
    public var retries: Int

    public static let defaultTimeout: TimeInterval = 30

    public init(url: String, bearerTokenFile: String? = nil, certificateAuthorityFile: String? = nil,
                timeout: TimeInterval = Self.defaultTimeout, retries: Int = 1) {
        self.url = url
        self.bearerTokenFile = bearerTokenFile
        self.certificateAuthorityFile = certificateAuthorityFile
        self.timeout = timeout
        self.retries = retries
    }

    /// The Kubernetes client's configuration for this server: the transport is shared code, only the
    /// paths differ. Every problem names the flag at fault.
    public func clientConfiguration() throws(PrometheusError) -> ClientConfiguration {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw .configuration("--prometheus-url \(url): must be an http:// or https:// URL such as http://prometheus:9090")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .configuration("--prometheus-url \(url): must not carry a query or fragment")
        }
        guard timeout.isFinite, timeout > 0, timeout <= 3600 else {
            throw .configuration("--prometheus-timeout: must be between 0 and 1h, got \(timeout)s")
        }
        var tls = TLSSettings()
        if let certificateAuthorityFile {
            guard scheme == "https" else {
                throw .configuration("--prometheus-ca-file is set but --prometheus-url \(url) is not https://")
            }
            guard let pem = FileManager.default.contents(atPath: certificateAuthorityFile), !pem.isEmpty else {
                throw .configuration("--prometheus-ca-file \(certificateAuthorityFile): cannot read the file or it is empty")
            }
            tls.certificateAuthorityPEM = pem
        }
        var authentication = Authentication.none
        if let bearerTokenFile {
            guard scheme == "https" else {
                // The Kubernetes client never sends credentials in clear text; neither does this one.
                throw .configuration("--prometheus-bearer-token-file is set but --prometheus-url \(url) is not https://; a token is never sent over plain HTTP")
            }
            guard FileManager.default.isReadableFile(atPath: bearerTokenFile) else {
                throw .configuration("--prometheus-bearer-token-file \(bearerTokenFile): cannot read the file")
            }
            authentication = .tokenFile(path: bearerTokenFile)
        }
        var configuration = ClientConfiguration(server: url, tls: tls, authentication: authentication)
        configuration.userAgent = "fleetcast-prometheus/1.0"
        configuration.requestTimeout = timeout
        configuration.connectTimeout = min(timeout, 10)
        configuration.retry = RetryPolicy(maxRetries: max(0, retries), initialDelay: 0.2, maxDelay: 2, multiplier: 2,
                                          jitter: 0.5, maxTotalDelay: min(timeout, 5))
        configuration.rateLimit = RateLimit(requestsPerSecond: 20, burst: 40)
        return configuration
    }
}
