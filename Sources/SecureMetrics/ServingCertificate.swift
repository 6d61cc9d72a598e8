import Crypto
import Foundation
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import SwiftASN1
import X509

/// The certificate the secure metrics endpoint serves: `tls.crt` and `tls.key` from a directory (a
/// cert-manager Secret mounted into the pod, as controller-runtime's `CertDir` reads it), or, without
/// one, a self-signed certificate generated at start, as kubebuilder's scaffold does by default —
/// scrapers then skip verification (`insecureSkipVerify` in the ServiceMonitor) but still send their token.
public struct ServingCertificate: Sendable {
    public let certificatePEM: String
    public let privateKeyPEM: String

    public static let certificateFileName = "tls.crt"
    public static let keyFileName = "tls.key"

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `tls.crt` and `tls.key` from `directory`.
    public static func load(directory: String) throws -> ServingCertificate {
        func read(_ name: String) throws -> String {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw LoadError(description: "--metrics-cert-dir: cannot read \(path)")
            }
            return text
        }
        let certificate = ServingCertificate(certificatePEM: try read(certificateFileName), privateKeyPEM: try read(keyFileName))
        _ = try certificate.tlsConfiguration()
        return certificate
    }

    /// A new ECDSA P-256 certificate signed by its own key for `localhost`, `127.0.0.1`, `::1` and
    /// `hosts` (the pod's host name), valid from an hour before `now` for a year.
    public static func selfSigned(hosts: [String], now: Date) throws -> ServingCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("fleetcast-metrics") }
        var alternativeNames: [GeneralName] = [
            .dnsName("localhost"),
            .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
        ]
        for host in hosts where !host.isEmpty && host != "localhost" { alternativeNames.append(.dnsName(host)) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
            },
            issuerPrivateKey: .init(key)
        )
        return ServingCertificate(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation)
    }

    /// A TLS 1.2+ server configuration presenting this certificate.
    public func tlsConfiguration() throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
            guard !chain.isEmpty else { throw LoadError(description: "the certificate file holds no PEM certificate") }
            let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            return configuration
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(description: "the metrics certificate or key is not usable PEM: \(error)")
        }
    }

    /// Hummingbird's HTTP/1.1 server over TLS with this certificate.
    public func server() throws -> HTTPServerBuilder {
        try .tls(.http1(), tlsConfiguration: tlsConfiguration())
    }
}
