import FleetcastTesting
import Foundation
@testable import SecureMetrics
import Testing

/// The self-signed serving certificate made through the system's libcrypto, read back by the real
/// `openssl x509` and accepted by swift-nio-ssl, which serves it.
@Suite("ServingCertificate")
struct ServingCertificateTests {
    static let now = Date(timeIntervalSince1970: 1_764_892_800) // 2025-12-05T00:00:00Z

    @Test("self-signed: P-256, CN fleetcast-metrics, a year from an hour before now, server auth, the names asked for")
    func selfSigned() async throws {
        let certificate = try ServingCertificate.selfSigned(hosts: ["fleetcast-7d9f-abcde", "", "localhost", "bad,name"], now: Self.now)
        #expect(certificate.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(certificate.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        _ = try certificate.tlsConfiguration()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serving-certificate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tls.crt")
        try certificate.certificatePEM.write(to: file, atomically: true, encoding: .utf8)
        let openssl = try #require(ToolRun.onPath("openssl"), "openssl not found on PATH")
        let (status, text) = try await ToolRun.run(openssl, ["x509", "-noout", "-text", "-in", file.path])
        #expect(status == 0, "\(text)")
        for expected in [
            "Version: 3 (0x2)", "Issuer: CN = fleetcast-metrics", "Subject: CN = fleetcast-metrics",
            "Not Before: Dec  4 23:00:00 2025 GMT", "Not After : Dec  5 00:00:00 2026 GMT",
            "ASN1 OID: prime256v1", "Signature Algorithm: ecdsa-with-SHA256",
            "X509v3 Basic Constraints: critical\n                CA:FALSE",
            "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment",
            "X509v3 Extended Key Usage: \n                TLS Web Server Authentication",
            "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:fleetcast-7d9f-abcde\n",
        ] {
            #expect(text.contains(expected), "missing \(expected) in\n\(text)")
        }
        // The private key is the certificate's: openssl derives the same public key from both.
        let keyFile = directory.appendingPathComponent("tls.key")
        try certificate.privateKeyPEM.write(to: keyFile, atomically: true, encoding: .utf8)
        let (_, fromCertificate) = try await ToolRun.run(openssl, ["x509", "-noout", "-pubkey", "-in", file.path])
        let (_, fromKey) = try await ToolRun.run(openssl, ["pkey", "-pubout", "-in", keyFile.path])
        #expect(fromCertificate == fromKey)
        #expect(fromKey.hasPrefix("-----BEGIN PUBLIC KEY-----"))
    }

    @Test("two certificates get different keys and serial numbers")
    func fresh() throws {
        let first = try ServingCertificate.selfSigned(hosts: [], now: Self.now)
        let second = try ServingCertificate.selfSigned(hosts: [], now: Self.now)
        #expect(first.privateKeyPEM != second.privateKeyPEM)
        #expect(first.certificatePEM != second.certificatePEM)
    }

    @Test("token cache keys are SHA-256 digests", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ])
    func sha256(token: String, hex: String) throws {
        let digest = try #require(DelegatedAccessReviewer.sha256(token))
        #expect(digest.map { String(format: "%02x", $0) }.joined() == hex)
    }
}
