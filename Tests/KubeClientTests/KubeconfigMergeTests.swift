import Foundation
import Testing
@testable import KubeClient

@Suite struct KubeconfigMergeTests {
    static let first = """
    apiVersion: v1
    kind: Config
    current-context: alpha
    clusters:
    - name: shared
      cluster: {server: "https://first.example:6443", certificate-authority: ca.pem}
    users:
    - name: alice
      user: {token: first-token}
    contexts:
    - name: alpha
      context: {cluster: shared, user: alice, namespace: team-a}
    """

    static let second = """
    apiVersion: v1
    kind: Config
    current-context: beta
    clusters:
    - name: shared
      cluster: {server: "https://second.example:6443"}
    - name: other
      cluster: {server: "https://other.example", insecure-skip-tls-verify: true}
    users:
    - name: alice
      user: {token: second-token}
    - name: bob
      user: {username: bob, password: secret}
    contexts:
    - name: beta
      context: {cluster: other, user: bob}
    """

    @Test func firstFileWinsForEveryMapAndCurrentContext() throws {
        let directory = try TemporaryDirectory()
        let a = try directory.write("a/config", Self.first)
        try directory.write("a/ca.pem", "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n")
        let b = try directory.write("b/config", Self.second)
        let loader = KubeconfigLoader(environment: ["KUBECONFIG": "\(a)::\(directory.path)/missing:\(b)", "HOME": directory.path])
        #expect(try loader.candidateFiles() == [a, b])
        let merged = try loader.load()
        #expect(merged.currentContext?.value == "alpha")
        #expect(merged.clusters["shared"]?.value.server == "https://first.example:6443")
        #expect(merged.users["alice"]?.value.token == "first-token")
        #expect(merged.clusters["other"]?.file == b)

        let alpha = try merged.configuration()
        #expect(alpha.server == "https://first.example:6443")
        #expect(alpha.namespace == "team-a")
        #expect(alpha.authentication == .bearerToken("first-token"))
        // The relative CA path resolves against the file that named it.
        #expect(alpha.tls.certificateAuthorityPEM.map { String(decoding: $0, as: UTF8.self) }?.contains("AAA") == true)

        let beta = try merged.configuration(context: "beta")
        #expect(beta.server == "https://other.example")
        #expect(beta.tls.insecureSkipVerify)
        #expect(beta.namespace == "default")
        #expect(beta.authentication == .basic(username: "bob", password: "secret"))
    }

    @Test func explicitKubeconfigIgnoresTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        let a = try directory.write("a", Self.first)
        let b = try directory.write("b", Self.second)
        let loader = KubeconfigLoader(explicitPath: b, environment: ["KUBECONFIG": a])
        #expect(try loader.candidateFiles() == [b])
        #expect(try loader.configuration().server == "https://other.example")
    }

    @Test func homeConfigIsTheFallback() throws {
        let directory = try TemporaryDirectory()
        try directory.write(".kube/config", Self.second)
        let loader = KubeconfigLoader(environment: ["HOME": directory.path])
        #expect(try loader.configuration().server == "https://other.example")
    }

    @Test(arguments: [
        // (file text, --context, expected fragment of the message)
        ("clusters: []\ncontexts: []\n", nil as String?, "no context selected"),
        (first, "nope", "context \"nope\" (from --context) not found"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: missing}\n", nil, "cluster \"missing\" not found"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: \"https://x\"}\n", nil, "user \"u\" not found"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {}\n", nil, "clusters[\"k\"].cluster.server"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: \"ftp://x\"}\n", nil, "is not an http:// or https:// URL"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: \"https://x\", insecure-skip-tls-verify: true, certificate-authority-data: QUJD}\n", nil, "cannot be combined with a certificate authority"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: \"https://x\", certificate-authority-data: \"!!notbase64\"}\n", nil, "certificate-authority-data in"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k}\nclusters:\n- name: k\n  cluster: {server: \"https://x\", certificate-authority: nothere.pem}\n", nil, "certificate-authority in"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: \"https://x\"}\nusers:\n- name: u\n  user: {client-certificate-data: QUJD}\n", nil, "users[\"u\"].user.client-key in"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: \"https://x\"}\nusers:\n- name: u\n  user: {exec: {command: plugin, apiVersion: client.authentication.k8s.io/v1alpha1}}\n", nil, "exec.apiVersion"),
        ("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: \"https://x\"}\nusers:\n- name: u\n  user: {tokenFile: nothere}\n", nil, "users[\"u\"].user.tokenFile"),
        ("clusters: 3\n", nil, "field clusters"),
    ])
    func errorsNameTheFileContextAndField(text: String, context: String?, expected: String) throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("config", text)
        let error = #expect(throws: ConfigurationError.self) {
            try KubeconfigLoader(explicitPath: file, environment: [:]).configuration(context: context)
        }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        if expected.hasPrefix("clusters[") || expected.hasPrefix("users[") || expected.hasPrefix("field") {
            #expect(error?.message.contains(file) == true, "\(error?.message ?? "")")
        }
    }

    @Test func missingExplicitFileIsNamed() {
        let error = #expect(throws: ConfigurationError.self) {
            try KubeconfigLoader(explicitPath: "/nonexistent/kubeconfig", environment: [:]).load()
        }
        #expect(error?.message.contains("/nonexistent/kubeconfig") == true)
    }

    @Test func credentialFieldsResolve() throws {
        let directory = try TemporaryDirectory()
        try directory.write("token", "abc\n")
        try directory.write("plugin.sh", "#!/bin/sh\n", executable: true)
        let text = """
        current-context: c
        contexts:
        - {name: c, context: {cluster: k, user: u}}
        - {name: d, context: {cluster: k, user: e}}
        - {name: f, context: {cluster: k, user: cert}}
        clusters:
        - {name: k, cluster: {server: "https://127.0.0.1:1234/", tls-server-name: api.internal, disable-compression: true}}
        users:
        - {name: u, user: {tokenFile: token}}
        - {name: e, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./plugin.sh, args: [a], provideClusterInfo: true}}}
        - {name: cert, user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}}
        """
        let file = try directory.write("config", text)
        let merged = try KubeconfigLoader(explicitPath: file, environment: [:]).load()
        let tokenFile = try merged.configuration()
        #expect(tokenFile.authentication == .tokenFile(path: directory.path + "/token"))
        #expect(tokenFile.server == "https://127.0.0.1:1234")
        #expect(tokenFile.tls.serverName == "api.internal")
        #expect(tokenFile.compression == false)
        guard case .exec(let exec, let info) = try merged.configuration(context: "d").authentication else {
            Issue.record("expected exec authentication")
            return
        }
        #expect(exec.command == directory.path + "/plugin.sh")
        #expect(info?.server == "https://127.0.0.1:1234/")
        let certificate = try merged.configuration(context: "f")
        #expect(certificate.tls.clientCertificatePEM == Data("CERT".utf8))
        #expect(certificate.tls.clientKeyPEM == Data("KEY".utf8))
    }
}
