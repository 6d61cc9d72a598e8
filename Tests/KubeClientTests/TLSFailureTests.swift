import Foundation
import KubeAPI
import Synchronization
import Testing
import VirtualCluster
@testable import KubeClient

/// TLS and credential mistakes are reported at once, in a kubeconfig's terms, against the virtual
/// cluster over loopback HTTPS with real libcurl. Each client below has a generous retry budget (ten
/// retries, up to ten minutes of waiting), so a failure that was retried would show as more than one
/// attempt: the outcome asserted is "one attempt, then this error", not a duration.
@Suite struct TLSFailureTests {
    final class Attempts: KubeRequestObserver {
        let count = Mutex(0)
        func requestFinished(_ request: ObservedRequest) { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    static let patientRetries = RetryPolicy(maxRetries: 10, initialDelay: 0.05, maxDelay: 0.05, maxTotalDelay: 600)

    /// Lists once with `configuration` and returns the transport failure with the number of attempts.
    func failure(_ configuration: ClientConfiguration) async throws -> (TransportFailure, attempts: Int) {
        var configuration = configuration
        configuration.retry = Self.patientRetries
        let attempts = Attempts()
        let client = KubeClient(configuration: configuration, observer: attempts)
        do {
            _ = try await client.list(ConfigMap.self)
        } catch {
            guard case .transport(let failure) = error else {
                Issue.record("expected a transport failure, got \(error)")
                throw error
            }
            return (failure, attempts.value)
        }
        Issue.record("expected a transport failure, but the list succeeded")
        throw KubeError.cancelled
    }

    @Test func aWrongCertificateAuthorityIsUnknownAuthorityAtOnce() async throws {
        try await withCluster { cluster in
            try await withCluster { other in
                var configuration = cluster.clientConfiguration()
                configuration.tls.certificateAuthorityPEM = Data(other.caCertificatePEM.utf8)
                let (failure, attempts) = try await failure(configuration)
                #expect(attempts == 1)
                #expect(failure.problem == .unknownAuthority)
                #expect(failure.isPermanent)
                #expect(failure.description.hasPrefix("tls: server certificate signed by unknown authority"), "\(failure)")
                #expect(!failure.description.contains("EVP lib"))
            }
        }
    }

    @Test func aServerNameTheCertificateDoesNotCoverIsAHostnameMismatch() async throws {
        try await withCluster { cluster in
            var configuration = cluster.clientConfiguration()
            configuration.tls.serverName = "not-the-cluster.invalid"
            let (failure, attempts) = try await failure(configuration)
            #expect(attempts == 1)
            #expect(failure.problem == .hostnameMismatch, "\(failure)")
            #expect(failure.description.hasPrefix("tls: server certificate is not valid for this host name"))
        }
    }

    /// A key that is not the certificate's, and a key that is not a key at all.
    @Test(arguments: ["mismatched", "garbage"])
    func anUnusableClientKeyIsSaidAsSuch(kind: String) async throws {
        try await withCluster { cluster in
            let alice = try cluster.issueClientCertificate(user: "alice")
            let bob = try cluster.issueClientCertificate(user: "bob")
            var configuration = cluster.clientConfiguration()
            configuration.authentication = .none
            configuration.tls.clientCertificatePEM = Data(alice.certificatePEM.utf8)
            configuration.tls.clientKeyPEM = Data((kind == "mismatched"
                ? bob.privateKeyPEM
                : "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n").utf8)
            let (failure, attempts) = try await failure(configuration)
            #expect(attempts == 1)
            #expect(failure.problem == .unusableClientCredentials, "\(failure)")
            #expect(failure.description.hasPrefix("tls: client certificate or key cannot be used"), "\(failure)")
        }
    }

    /// A refused connection is transient: it is retried (here until the budget of two retries is spent).
    @Test func aRefusedConnectionIsStillRetried() async throws {
        let port = try await withCluster { cluster in cluster.httpsURL.port ?? 0 }
        var configuration = ClientConfiguration(server: "https://127.0.0.1:\(port)", tls: TLSSettings(), authentication: .none)
        configuration.rateLimit = .unlimited
        configuration.retry = RetryPolicy(maxRetries: 2, initialDelay: 0.01, maxDelay: 0.01)
        let attempts = Attempts()
        let client = KubeClient(configuration: configuration, observer: attempts)
        await #expect(throws: KubeError.self) { _ = try await client.list(ConfigMap.self) }
        #expect(attempts.value == 3)
    }
}
