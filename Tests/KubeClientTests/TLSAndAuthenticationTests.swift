import Foundation
import KubeAPI
import Testing
import VirtualCluster
@testable import KubeClient

@Suite struct TLSAndAuthenticationTests {
    /// Kubeconfig files exercising every TLS and credential form against one cluster.
    @Test func caFromFileAndFromDataAndInsecure() async throws {
        try await withCluster { cluster in
            let directory = try TemporaryDirectory()
            try directory.write("pki/ca.pem", cluster.caCertificatePEM)
            let caData = Data(cluster.caCertificatePEM.utf8).base64EncodedString()
            let file = try directory.write("config", """
            current-context: file
            clusters:
            - {name: file, cluster: {server: "\(cluster.httpsURL.absoluteString)", certificate-authority: pki/ca.pem}}
            - {name: data, cluster: {server: "\(cluster.httpsURL.absoluteString)", certificate-authority-data: \(caData)}}
            - {name: insecure, cluster: {server: "\(cluster.httpsURL.absoluteString)", insecure-skip-tls-verify: true}}
            - {name: named, cluster: {server: "\(cluster.httpsURL.absoluteString)", certificate-authority-data: \(caData), tls-server-name: localhost}}
            users:
            - {name: admin, user: {token: \(cluster.adminToken)}}
            contexts:
            - {name: file, context: {cluster: file, user: admin}}
            - {name: data, context: {cluster: data, user: admin}}
            - {name: insecure, context: {cluster: insecure, user: admin}}
            - {name: named, context: {cluster: named, user: admin}}
            """)
            let merged = try KubeconfigLoader(explicitPath: file, environment: [:]).load()
            for context in ["file", "data", "insecure", "named"] {
                let client = KubeClient(configuration: try merged.configuration(context: context))
                let created = try await client.create(configMap("tls-\(context)"))
                #expect(created.metadata.uid != nil, "context \(context)")
            }
        }
    }

    @Test func wrongCertificateAuthorityIsRejected() async throws {
        try await withCluster { cluster in
            try await withCluster { other in
                var configuration = cluster.clientConfiguration(retry: .never)
                configuration.tls.certificateAuthorityPEM = Data(other.caCertificatePEM.utf8)
                let client = KubeClient(configuration: configuration)
                await #expect {
                    _ = try await client.list(ConfigMap.self)
                } throws: { error in
                    // CURLE_PEER_FAILED_VERIFICATION (60) or CURLE_SSL_CACERT (77 in older releases).
                    isError(error) { if case .transport(let failure) = $0 { return [60, 77, 35].contains(failure.code) } else { return false } }
                }
            }
        }
    }

    @Test func badTokenIsUnauthorized() async throws {
        try await withCluster { cluster in
            let client = cluster.client(token: "not-a-token")
            await #expect {
                _ = try await client.get(ConfigMap.self, name: "x")
            } throws: { error in
                isError(error) { if case .unauthorized(let status) = $0 { return status.code == 401 } else { return false } }
            }
        }
    }

    /// An authenticated user without an RBAC grant gets the typed forbidden error with the server's
    /// message; a RoleBinding makes the same call succeed.
    @Test func missingPermissionIsForbidden() async throws {
        try await withCluster({ $0.tokens = ["carol-token": "carol"]; $0.authorizeWithRBAC = true }) { cluster in
            let carol = cluster.client(token: "carol-token")
            await #expect {
                _ = try await carol.list(ConfigMap.self, namespace: "default")
            } throws: { error in
                isError(error) {
                    guard case .forbidden(let status) = $0 else { return false }
                    return status.code == 403 && status.message == #"configmaps is forbidden: User "carol" cannot list resource "configmaps" in API group "" in the namespace "default""#
                }
            }
            try await cluster.apply(manifestYAML: """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: configmap-reader, namespace: default}
                rules: [{apiGroups: [""], resources: [configmaps], verbs: [list]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: carol, namespace: default}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmap-reader}
                subjects: [{kind: User, name: carol}]
                """, file: "rbac.yaml")
            _ = try await carol.list(ConfigMap.self, namespace: "default")
        }
    }

    @Test func rotatingTokenFileIsReRead() async throws {
        try await withCluster({ $0.tokens = ["rotated-1": "alice", "rotated-2": "alice"] }) { cluster in
            let directory = try TemporaryDirectory()
            let tokenFile = try directory.write("token", "rotated-1\n")
            var configuration = cluster.clientConfiguration()
            configuration.authentication = .tokenFile(path: tokenFile)
            configuration.tokenFileRefreshInterval = 0
            let client = KubeClient(configuration: configuration)
            _ = try await client.list(ConfigMap.self)
            // Periodic re-read (interval 0: every request): a revoked token shows up at once.
            try directory.write("token", "revoked")
            await #expect(throws: KubeError.self) { _ = try await client.list(ConfigMap.self) }
            try directory.write("token", "rotated-2")
            _ = try await client.list(ConfigMap.self)

            // With a long interval the cached token is used until the server says 401, then re-read.
            var cachedConfiguration = configuration
            cachedConfiguration.tokenFileRefreshInterval = 3600
            try directory.write("token", "revoked")
            let cachedClient = KubeClient(configuration: cachedConfiguration)
            await #expect(throws: KubeError.self) { _ = try await cachedClient.list(ConfigMap.self) }
            try directory.write("token", "rotated-1")
            _ = try await cachedClient.list(ConfigMap.self)
        }
    }

    @Test(arguments: [ClientKeyAlgorithm.rsa2048, .ecdsaP256])
    func clientCertificatesFromFilesAndData(algorithm: ClientKeyAlgorithm) async throws {
        try await withCluster { cluster in
            let issued = try cluster.issueClientCertificate(user: "alice", groups: ["dev"], algorithm: algorithm)
            let directory = try TemporaryDirectory()
            try directory.write("alice.crt", issued.certificatePEM)
            try directory.write("alice.key", issued.privateKeyPEM)
            let caData = Data(cluster.caCertificatePEM.utf8).base64EncodedString()
            let file = try directory.write("config", """
            current-context: files
            clusters:
            - {name: k, cluster: {server: "\(cluster.httpsURL.absoluteString)", certificate-authority-data: \(caData)}}
            users:
            - {name: files, user: {client-certificate: alice.crt, client-key: alice.key}}
            - {name: data, user: {client-certificate-data: \(Data(issued.certificatePEM.utf8).base64EncodedString()), client-key-data: \(Data(issued.privateKeyPEM.utf8).base64EncodedString())}}
            - {name: nobody, user: {}}
            contexts:
            - {name: files, context: {cluster: k, user: files}}
            - {name: data, context: {cluster: k, user: data}}
            - {name: nobody, context: {cluster: k, user: nobody}}
            """)
            let merged = try KubeconfigLoader(explicitPath: file, environment: [:]).load()
            for context in ["files", "data"] {
                let client = KubeClient(configuration: try merged.configuration(context: context))
                _ = try await client.create(configMap("cert-\(context)"))
            }
            // The same cluster refuses a client with no credentials at all.
            var anonymous = try merged.configuration(context: "nobody")
            anonymous.retry = .never
            let nobody = KubeClient(configuration: anonymous)
            await #expect {
                _ = try await nobody.list(ConfigMap.self)
            } throws: { error in
                isError(error) { if case .unauthorized = $0 { return true } else { return false } }
            }
        }
    }

    /// The plugin hands out a bad token first; the 401 makes the client run it again.
    @Test func execPluginIsRunAndReRunAfterUnauthorized() async throws {
        try await withCluster { cluster in
            let directory = try TemporaryDirectory()
            let counter = directory.path + "/runs"
            let script = try directory.write("plugin.sh", """
            runs=$(cat "\(counter)" 2>/dev/null || echo 0)
            runs=$((runs + 1))
            echo $runs > "\(counter)"
            if [ "$runs" -eq 1 ]; then token=stale; else token="$GOOD_TOKEN"; fi
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$token"
            """)
            let caData = Data(cluster.caCertificatePEM.utf8).base64EncodedString()
            let file = try directory.write("config", """
            current-context: c
            clusters:
            - {name: k, cluster: {server: "\(cluster.httpsURL.absoluteString)", certificate-authority-data: \(caData)}}
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: /bin/sh
                  args: ["\(script)"]
                  env: [{name: GOOD_TOKEN, value: "\(cluster.adminToken)"}]
                  interactiveMode: Never
            contexts:
            - {name: c, context: {cluster: k, user: u}}
            """)
            let client = KubeClient(configuration: try KubeconfigLoader(explicitPath: file, environment: [:]).configuration())
            _ = try await client.list(ConfigMap.self)
            _ = try await client.list(ConfigMap.self)
            // Run once (stale), once after the 401; the unexpired credential is then reused.
            #expect(try String(contentsOfFile: counter, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        }
    }
}
