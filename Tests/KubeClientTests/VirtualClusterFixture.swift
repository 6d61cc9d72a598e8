import FleetcastTesting
import Foundation
import KubeAPI
import Testing
import VirtualCluster
@testable import KubeClient

/// Starts a virtual cluster over HTTPS on a free loopback port for the duration of `body`, and shuts
/// it down afterwards whatever happens.
func withCluster<T>(
    _ configure: (inout VirtualClusterConfiguration) -> Void = { _ in },
    _ body: (RunningVirtualCluster) async throws -> T
) async throws -> T {
    var configuration = VirtualClusterConfiguration()
    configuration.httpPort = nil
    configure(&configuration)
    let cluster = try await VirtualCluster.start(configuration)
    do {
        let result = try await body(cluster)
        await cluster.shutdown()
        return result
    } catch {
        await cluster.shutdown()
        throw error
    }
}

extension RunningVirtualCluster {
    /// A client configuration trusting the cluster CA, authenticated with the admin token (or `token`).
    func clientConfiguration(token: String? = nil, retry: RetryPolicy = RetryPolicy(initialDelay: 0.01, maxDelay: 0.05)) -> ClientConfiguration {
        var configuration = ClientConfiguration(
            server: httpsURL.absoluteString,
            tls: TLSSettings(certificateAuthorityPEM: Data(caCertificatePEM.utf8)),
            authentication: .bearerToken(token ?? adminToken)
        )
        configuration.retry = retry
        configuration.rateLimit = .unlimited
        return configuration
    }

    func client(token: String? = nil, retry: RetryPolicy = RetryPolicy(initialDelay: 0.01, maxDelay: 0.05)) -> KubeClient {
        KubeClient(configuration: clientConfiguration(token: token, retry: retry))
    }
}

func configMap(_ name: String, namespace: String = "default", data: [String: String] = [:], labels: [String: String]? = nil) -> ConfigMap {
    ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace, labels: labels), data: data)
}

/// Polls `condition` until it holds, throwing after FleetcastTesting's `waitUntil` bound: what these
/// tests wait for happens within a second or two on a quiet machine.
func eventually(_ condition: () async throws -> Bool) async throws {
    try await waitUntil("the condition", every: .milliseconds(5), condition)
}

/// Matches a `KubeError` case by name for `#expect(throws:)`.
func isError(_ error: any Error, _ match: (KubeError) -> Bool) -> Bool {
    guard let error = error as? KubeError else { return false }
    return match(error)
}
