import Foundation
import KubeAPI
import Testing
@testable import KubeClient

@Suite struct StatusDecodingTests {
    static func status(_ code: Int, _ reason: String, details: String = "") -> String {
        #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"m","reason":"\#(reason)","code":\#(code)\#(details)}"#
    }

    enum Expected: Sendable { case notFound, alreadyExists, conflict, invalid, gone, tooMany, unauthorized, forbidden, badRequest, server }

    static func kind(of error: KubeError) -> Expected? {
        switch error {
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .conflict: .conflict
        case .invalid: .invalid
        case .gone: .gone
        case .tooManyRequests: .tooMany
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .badRequest: .badRequest
        case .serverError: .server
        default: nil
        }
    }

    @Test(arguments: [
        (404, "application/json", status(404, "NotFound"), Expected.notFound),
        (409, "application/json", status(409, "AlreadyExists"), .alreadyExists),
        (409, "application/json", status(409, "Conflict"), .conflict),
        (422, "application/json", status(422, "Invalid", details: #","details":{"causes":[{"reason":"FieldValueInvalid","field":"spec.x"}]}"#), .invalid),
        (410, "application/json", status(410, "Expired"), .gone),
        (410, "application/json", status(410, "Gone"), .gone),
        (429, "text/plain; charset=utf-8", "Too many requests, please try again later.", .tooMany),
        (401, "application/json", status(401, "Unauthorized"), .unauthorized),
        (403, "application/json", status(403, "Forbidden"), .forbidden),
        (415, "application/json", status(415, "UnsupportedMediaType"), .badRequest),
        (400, "application/json", status(400, "BadRequest"), .badRequest),
        (500, "application/json", status(500, "InternalError"), .server),
        (503, "text/html", "<html>down</html>", .server),
        (504, "application/json", status(504, "Timeout"), .server),
        (404, "text/plain", "404 page not found", .notFound),
        // A JSON body that is not a Status falls back to the HTTP code.
        (409, "application/json", #"{"kind":"Pod"}"#, .conflict),
    ])
    func classifiesByReasonThenCode(code: Int, contentType: String, body: String, expected: Expected) {
        let error = KubeError(statusCode: code, headers: ["content-type": contentType, "retry-after": "3"], body: Data(body.utf8))
        #expect(Self.kind(of: error) == expected)
        #expect(error.code == code)
    }

    @Test func keepsCausesAndRetryAfter() {
        let invalid = KubeError(statusCode: 422, headers: ["content-type": "application/json"], body: Data(Self.status(422, "Invalid", details: #","details":{"name":"p","kind":"Pod","causes":[{"reason":"FieldValueInvalid","message":"bad","field":"spec.x"}]}"#).utf8))
        #expect(invalid.status.details?.causes?.first?.field == "spec.x")
        let plain = KubeError(statusCode: 429, headers: ["content-type": "text/plain", "retry-after": "7"], body: Data("Too many requests".utf8))
        #expect(plain.retryAfter == 7)
        #expect(plain.status.message == "Too many requests")
        let fromDetails = KubeError(statusCode: 429, headers: ["content-type": "application/json"], body: Data(Self.status(429, "TooManyRequests", details: #","details":{"retryAfterSeconds":4}"#).utf8))
        #expect(fromDetails.retryAfter == 4)
        // A plain-text body is never parsed as JSON even if it looks like it.
        let text = KubeError(statusCode: 500, headers: ["content-type": "text/plain"], body: Data(Self.status(404, "NotFound").utf8))
        #expect(Self.kind(of: text) == .server)
    }

    @Test func watchErrorEventStatusIsTyped() {
        let status = Status(message: "too old resource version: 5 (10)", reason: "Expired", code: 410)
        guard case .gone = KubeError(watchStatus: status) else {
            Issue.record("expected gone")
            return
        }
    }
}
