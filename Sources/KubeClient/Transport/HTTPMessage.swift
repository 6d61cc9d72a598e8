import Foundation

public enum HTTPMethod: String, Sendable, Hashable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"

    /// Repeating the request cannot do more than doing it once (PUT carries a resourceVersion in
    /// practice; DELETE of a deleted object is a 404). POST and PATCH are retried only when the server
    /// cannot have acted on them.
    public var isIdempotent: Bool {
        switch self {
        case .get, .put, .delete: true
        case .post, .patch: false
        }
    }
}

/// What the transport sends: a fully built request. Pure value; the libcurl layer turns it into an
/// easy handle.
struct TransportRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var headers: [(name: String, value: String)]
    var body: Data?
    /// Unary calls have a whole-request timeout; streams instead abort after `lowSpeedTime` of silence.
    var streaming: Bool
}

/// A completed unary response.
public struct HTTPResponse: Sendable {
    public var statusCode: Int
    /// Header names lower-cased; the last value wins.
    public var headers: [String: String]
    public var body: Data

    public init(statusCode: Int, headers: [String: String], body: Data) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }
}

/// A libcurl-level failure: the transfer itself went wrong (no HTTP status to speak of).
public struct TransportFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// libcurl's `CURLcode`.
    public var code: Int
    /// libcurl's (and through it OpenSSL's) own words.
    public var message: String
    /// OpenSSL's certificate verification result (`CURLINFO_SSL_VERIFYRESULT`, an `X509_V_ERR_*`
    /// code) when the server's certificate was refused; nil or 0 otherwise.
    public var verifyResult: Int?

    public init(code: Int, message: String, verifyResult: Int? = nil) {
        self.code = code
        self.message = message
        self.verifyResult = verifyResult
    }

    /// What went wrong, classified once so retries and messages agree.
    public var problem: TransportProblem { TransportProblem(code: code, message: message, verifyResult: verifyResult) }

    /// The plain reason (as kubectl would say it); libcurl's own words follow only where the plain
    /// reason leaves something open (which part of a handshake failed). `message` always has them.
    public var description: String {
        guard let plain = problem.plainMessage else { return "libcurl error \(code): \(message)" }
        return problem.plainMessageIsComplete ? "\(plain) (libcurl error \(code))" : "\(plain) (libcurl error \(code): \(message))"
    }

    /// The connection was never established, so the server cannot have seen the request.
    public var requestNeverSent: Bool {
        // CURLE_COULDNT_RESOLVE_PROXY 5, CURLE_COULDNT_RESOLVE_HOST 6, CURLE_COULDNT_CONNECT 7.
        [5, 6, 7].contains(code)
    }

    /// Repeating the request cannot help: the certificate, key or trust configuration is wrong, and
    /// stays wrong until someone changes it. Such failures are reported at once, not after a minute
    /// of retries.
    public var isPermanent: Bool { problem.isPermanent }
}
