import Foundation
import Testing
@testable import KubeClient

@Suite struct InClusterConfigurationTests {
    @Test func readsServiceAccountMount() throws {
        let directory = try TemporaryDirectory()
        try directory.write("token", "sa-token")
        try directory.write("ca.crt", "PEM")
        try directory.write("namespace", "fleetcast-system\n")
        let environment = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]
        let configuration = try InClusterConfiguration(environment: environment, mountDirectory: directory.path).configuration()
        #expect(configuration.server == "https://[fd00::1]:443")
        #expect(configuration.namespace == "fleetcast-system")
        #expect(configuration.tls.certificateAuthorityPEM == Data("PEM".utf8))
        #expect(configuration.authentication == .tokenFile(path: directory.path + "/token"))

        var withPodNamespace = environment
        withPodNamespace["POD_NAMESPACE"] = "override"
        #expect(try InClusterConfiguration(environment: withPodNamespace, mountDirectory: directory.path).configuration().namespace == "override")
    }

    @Test(arguments: [
        ([:] as [String: String], "KUBERNETES_SERVICE_HOST"),
        (["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "http"], "is not a port number"),
        (["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"], "/token"),
    ])
    func explainsWhatIsMissing(environment: [String: String], expected: String) throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: ConfigurationError.self) {
            try InClusterConfiguration(environment: environment, mountDirectory: directory.path).configuration()
        }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }
}
