import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A PEM certificate and its private key.
public struct IssuedCertificate: Sendable, Hashable {
    public var certificatePEM: String
    public var privateKeyPEM: String
}

/// The key algorithm of an issued client certificate.
public enum ClientKeyAlgorithm: Sendable, Hashable {
    case ecdsaP256
    case rsa2048
}

/// A throwaway certificate authority generated when the cluster starts: it signs the serving
/// certificate (valid for 127.0.0.1, ::1 and localhost) and, on request, client certificates whose
/// common name is the user name and whose organizations are the groups — as kube-apiserver reads them.
struct CertificateAuthority: Sendable {
    let certificate: Certificate
    /// The CA key's raw representation (the key type itself is not `Sendable`).
    private let keyBytes: Data
    private var key: P256.Signing.PrivateKey {
        get throws { try P256.Signing.PrivateKey(rawRepresentation: keyBytes) }
    }
    let serving: IssuedCertificate

    var certificatePEM: String { (try? certificate.serializeAsPEM().pemString) ?? "" }

    init(now: Date) throws {
        let key = P256.Signing.PrivateKey()
        keyBytes = key.rawRepresentation
        let name = try DistinguishedName { CommonName("fleetcast-virtual-cluster-ca") }
        certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
        let servingKey = P256.Signing.PrivateKey()
        let servingName = try DistinguishedName { CommonName("fleetcast-virtual-cluster") }
        let servingCertificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(servingKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86400),
            issuer: certificate.subject, subject: servingName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
                ])
            },
            issuerPrivateKey: .init(key)
        )
        serving = IssuedCertificate(certificatePEM: try servingCertificate.serializeAsPEM().pemString,
                                    privateKeyPEM: servingKey.pemRepresentation)
    }

    /// A client certificate for `user` in `groups`, valid for a day.
    func issueClientCertificate(user: String, groups: [String], algorithm: ClientKeyAlgorithm, now: Date) throws -> IssuedCertificate {
        let publicKey: Certificate.PublicKey
        let keyPEM: String
        switch algorithm {
        case .ecdsaP256:
            let clientKey = P256.Signing.PrivateKey()
            publicKey = .init(clientKey.publicKey)
            keyPEM = clientKey.pemRepresentation
        case .rsa2048:
            let clientKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            publicKey = .init(clientKey.publicKey)
            keyPEM = clientKey.pemRepresentation
        }
        let subject = try DistinguishedName {
            for group in groups { OrganizationName(group) }
            CommonName(user)
        }
        let clientCertificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86400),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(try key)
        )
        return IssuedCertificate(certificatePEM: try clientCertificate.serializeAsPEM().pemString, privateKeyPEM: keyPEM)
    }

    /// The common name of a DER certificate presented by a client (the user name).
    static func commonName(ofDER bytes: [UInt8]) -> String? {
        guard let certificate = try? Certificate(derEncoded: bytes) else { return nil }
        for relativeName in certificate.subject {
            for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                if let text = String(attribute.value) { return text }
            }
        }
        return nil
    }
}
