import Foundation
import KubeAPI
import Testing
@testable import KubeClient

@Suite struct ExecCredentialPluginTests {
    static func plugin(_ script: String, apiVersion: String = "client.authentication.k8s.io/v1", in directory: TemporaryDirectory) throws -> ExecCredentialPlugin {
        // Run through /bin/sh rather than exec'ing the fresh file: with tests spawning processes in
        // parallel, a forked child can still hold the file's write descriptor (ETXTBSY).
        let path = try directory.write("plugin.sh", script)
        let config = ExecConfig(apiVersion: apiVersion, command: "/bin/sh", args: [path, "--flag"], env: [ExecEnvVar(name: "EXTRA", value: "from-config")])
        return ExecCredentialPlugin(config: config, clusterInfo: ExecClusterInfo(server: "https://k:6443"))
    }

    @Test(arguments: ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"])
    func runsThePluginWithItsEnvironment(apiVersion: String) async throws {
        let directory = try TemporaryDirectory()
        // The plugin echoes back what it was given, proving args, env and KUBERNETES_EXEC_INFO arrive.
        let script = """
        info=$(printf '%s' "$KUBERNETES_EXEC_INFO" | tr -d '"{}:,' )
        case "$info" in *https//k6443*) ;; *) echo "no cluster info: $KUBERNETES_EXEC_INFO" >&2; exit 3;; esac
        printf '{"apiVersion":"\(apiVersion)","kind":"ExecCredential","status":{"token":"%s-%s","expirationTimestamp":"2030-01-02T03:04:05Z"}}' "$EXTRA" "$1"
        """
        let credential = try await Self.plugin(script, apiVersion: apiVersion, in: directory).run()
        #expect(credential.token == "from-config---flag")
        #expect(credential.expiration == KubeTime.parse("2030-01-02T03:04:05Z"))
    }

    @Test func failingPluginReportsItsStderr() async throws {
        let directory = try TemporaryDirectory()
        let plugin = try Self.plugin("echo 'login required' >&2\nexit 2\n", in: directory)
        await #expect {
            try await plugin.run()
        } throws: { error in
            (error as? ConfigurationError)?.message.contains("exited with status 2: login required") == true
        }
    }

    @Test(arguments: [
        (#"not json"#, "not an ExecCredential"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"Pod","status":{"token":"t"}}"#, "kind is \"Pod\""),
        (#"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}"#, "does not match"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#, "neither token nor client certificate"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"tomorrow"}}"#, "not RFC 3339"),
        (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"c"}}"#, "must be set together"),
    ])
    func rejectsBadOutput(output: String, expected: String) throws {
        let plugin = ExecCredentialPlugin(config: ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: "p"), clusterInfo: nil)
        let error = #expect(throws: ConfigurationError.self) { try plugin.decode(Data(output.utf8)) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func certificateCredentials() throws {
        let plugin = ExecCredentialPlugin(config: ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: "p"), clusterInfo: nil)
        let credential = try plugin.decode(Data(#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}}"#.utf8))
        #expect(credential.clientCertificatePEM == Data("CERT".utf8))
        #expect(credential.token == nil)
        #expect(credential.expiration == nil)
    }
}
