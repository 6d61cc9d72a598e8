/// Why a transfer failed below HTTP, in the terms of a kubeconfig rather than of OpenSSL: the TLS and
/// credential failures a user can fix (a wrong certificate authority, a server certificate for another
/// name, an unusable client key) are told apart from the transient ones (a refused or reset
/// connection, a timeout) that retries are for.
public enum TransportProblem: Sendable, Hashable {
    /// The server's certificate is not signed by the configured authority (Go's "x509: certificate
    /// signed by unknown authority").
    case unknownAuthority
    /// The server's certificate is not valid for the host name the client connected to.
    case hostnameMismatch
    /// The server's certificate has expired or is not valid yet.
    case certificateExpired
    /// Another reason the server's certificate was refused; the verification code says which.
    case serverCertificateRefused(verifyResult: Int)
    /// The client certificate or key (kubeconfig `client-certificate`/`client-key`) could not be used.
    case unusableClientCredentials
    /// The configured certificate authority could not be read as PEM certificates.
    case unusableCertificateAuthority
    /// The server refused the TLS handshake: it did not accept the client certificate, or speaks no
    /// TLS version or cipher in common.
    case handshakeRefused
    /// Anything else (connection refused, reset, timeout, DNS): possibly transient.
    case other

    /// CURLcode values (curl.h) this classification reads.
    private enum Code {
        static let sslConnectError = 35
        static let sslEngineNotFound = 53, sslEngineSetFailed = 54
        static let sslCertProblem = 58, sslCipher = 59, peerFailedVerification = 60
        static let sslCACertBadFile = 77, sslIssuerError = 83, sslPinnedPublicKey = 90, sslInvalidCertStatus = 91
        static let sslClientCert = 98
    }

    /// `X509_V_ERR_*` values (OpenSSL's x509_vfy.h) that mean "not signed by an authority we trust".
    private static let untrustedChain: Set<Int> = [2, 7, 18, 19, 20, 21, 24, 27, 28]
    private static let expiry: Set<Int> = [9, 10]
    private static let hostname = 62

    init(code: Int, message: String, verifyResult: Int?) {
        let text = message.lowercased()
        let verify = verifyResult ?? 0
        switch code {
        case Code.peerFailedVerification, Code.sslIssuerError:
            if Self.untrustedChain.contains(verify) || text.contains("unable to get local issuer")
                || text.contains("self-signed") || text.contains("self signed") {
                self = .unknownAuthority
            } else if verify == Self.hostname || text.contains("subject name") || text.contains("does not match target host") {
                self = .hostnameMismatch
            } else if Self.expiry.contains(verify) || text.contains("expired") {
                self = .certificateExpired
            } else {
                self = .serverCertificateRefused(verifyResult: verify)
            }
        case Code.sslCertProblem, Code.sslClientCert, Code.sslEngineNotFound, Code.sslEngineSetFailed:
            self = .unusableClientCredentials
        case Code.sslCACertBadFile:
            self = .unusableCertificateAuthority
        case Code.sslCipher, Code.sslPinnedPublicKey, Code.sslInvalidCertStatus:
            self = .handshakeRefused
        case Code.sslConnectError:
            self = Self.handshake(text, verify: verify)
        default:
            self = .other
        }
    }

    /// A failed handshake (35) is a configuration problem unless the connection was merely torn down.
    private static func handshake(_ text: String, verify: Int) -> TransportProblem {
        if untrustedChain.contains(verify) { return .unknownAuthority }
        if ["syscall", "reset by peer", "unexpected eof", "connection reset", "broken pipe"].contains(where: text.contains) {
            return .other
        }
        // Our own key: curl loads it before the handshake, so a bad or mismatched key says so.
        if ["key values mismatch", "private key", "unable to set", "bad decrypt", "no start line"].contains(where: text.contains) {
            return .unusableClientCredentials
        }
        // A server certificate whose issuer name matches the configured authority but whose signature
        // does not verify with its key (another CA of the same name): OpenSSL fails inside signature
        // decoding and says only "EVP lib" (from asn1 or signature routines).
        if text.contains("unknown ca") || text.contains("certificate verify failed") || text.contains("evp lib")
            || text.contains("bad signature") {
            return .unknownAuthority
        }
        return .handshakeRefused
    }

    /// Whether the plain message says all a user needs; OpenSSL's detail ("EVP lib") would only confuse.
    var plainMessageIsComplete: Bool {
        switch self {
        case .unknownAuthority, .hostnameMismatch, .certificateExpired, .unusableCertificateAuthority: true
        case .serverCertificateRefused, .unusableClientCredentials, .handshakeRefused, .other: false
        }
    }

    /// Whether retrying could ever succeed without someone changing the configuration.
    public var isPermanent: Bool { self != .other }

    /// The reason in a kubeconfig's terms; nil for `other`, whose libcurl message is plain enough.
    public var plainMessage: String? {
        switch self {
        case .unknownAuthority:
            "tls: server certificate signed by unknown authority (check the cluster's certificate-authority in the kubeconfig)"
        case .hostnameMismatch:
            "tls: server certificate is not valid for this host name (check the server URL or tls-server-name)"
        case .certificateExpired:
            "tls: server certificate has expired or is not yet valid"
        case .serverCertificateRefused(let verify):
            "tls: server certificate refused (OpenSSL verification code \(verify))"
        case .unusableClientCredentials:
            "tls: client certificate or key cannot be used (check client-certificate and client-key: the key must be the certificate's, unencrypted PEM)"
        case .unusableCertificateAuthority:
            "tls: certificate authority cannot be read (certificate-authority must hold PEM certificates)"
        case .handshakeRefused:
            "tls: handshake refused by the server (client certificate not accepted, or no TLS version or cipher in common)"
        case .other:
            nil
        }
    }
}
