import FleetcastTesting
import Foundation
import Testing
@testable import VirtualCluster

/// HTTPS with the generated CA, and client-certificate authentication, checked with the curl binary
/// (an independent TLS client): the serving certificate verifies against the CA, certificates the
/// cluster issued (EC and RSA) authenticate, and requests without credentials are refused.
@Suite("TLS and client certificates")
struct TLSAuthenticationTests {
    static func curl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let curl = try #require(ToolRun.onPath("curl"), "curl not found on PATH")
        return try await ToolRun.run(curl, ["--silent", "--show-error", "--max-time", "30"] + arguments)
    }

    @Test("client certificates signed by the cluster CA authenticate", arguments: [ClientKeyAlgorithm.ecdsaP256, .rsa2048])
    func clientCertificate(algorithm: ClientKeyAlgorithm) async throws {
        try await TestCluster.with { test in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleetcast-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let issued = try test.cluster.issueClientCertificate(user: "alice", groups: ["dev"], algorithm: algorithm)
            let files = ["ca.pem": test.cluster.caCertificatePEM, "cert.pem": issued.certificatePEM, "key.pem": issued.privateKeyPEM]
            for (name, contents) in files { try Data(contents.utf8).write(to: directory.appendingPathComponent(name)) }
            let url = test.cluster.httpsURL.absoluteString + "/api/v1/namespaces/default"
            let ca = directory.appendingPathComponent("ca.pem").path
            let authenticated = try await Self.curl(["--cacert", ca, "--cert", directory.appendingPathComponent("cert.pem").path,
                                                     "--key", directory.appendingPathComponent("key.pem").path, url])
            #expect(authenticated.status == 0, "\(authenticated.output)")
            #expect(authenticated.output.contains(#""name":"default""#), "\(authenticated.output)")
            let anonymous = try await Self.curl(["--cacert", ca, url])
            #expect(anonymous.output.contains(#""code":401"#), "\(anonymous.output)")
            let token = try await Self.curl(["--cacert", ca, "-H", "Authorization: Bearer \(test.cluster.adminToken)", url])
            #expect(token.output.contains(#""name":"default""#), "\(token.output)")
        }
    }
}
