import Foundation
import KubeAPI

/// A request as the API layer sees it, independent of the HTTP server library.
struct APIRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var accept: String
    var contentType: String
    var body: Data
    /// The authenticated user name (token owner or certificate CN).
    var user: String

    /// Decodes a query string as URL form data: `+` is a space, then percent-decoding
    /// (kubectl sends selectors as `app+in+%28a%2Cb%29`).
    static func parseQuery(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decodeComponent(String(parts[0]))
            result[key] = parts.count > 1 ? decodeComponent(String(parts[1])) : ""
        }
        return result
    }

    private static func decodeComponent(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    var mediaType: String {
        contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    var wantsTable: Bool { accept.contains("as=Table") }

    var fieldValidation: FieldValidation {
        query["fieldValidation"].flatMap(FieldValidation.init(rawValue:)) ?? .ignore
    }

    var isDryRun: Bool { query["dryRun"] == "All" }

    /// `?watch=true` (or `1`) on a collection GET: a watch rather than a list.
    var isWatch: Bool { query["watch"] == "true" || query["watch"] == "1" }

    /// The body parsed from JSON (or YAML, when sent as `application/yaml`), or a 400. Protobuf and
    /// CBOR are answered with 415 here; object bodies of built-in kinds go through `objectBody`,
    /// which reads protobuf first.
    func jsonBody() throws(APIError) -> JSONValue {
        if mediaType.contains("protobuf") || mediaType.contains("cbor") {
            throw APIError.unsupportedMediaType(mediaType, accepted: ["application/json", "application/yaml"])
        }
        if mediaType == "application/yaml" { return try ApplyPatch.parse(body) }
        return try JSONValue.parse(body)
    }
}

/// What the API layer answers: a complete body or a watch stream.
struct APIResponse: Sendable {
    enum Body: Sendable {
        case text(String)
        /// A binary body (the protobuf OpenAPI v2 document).
        case bytes([UInt8])
        case watch(WatchStream)
    }

    var code: Int
    var contentType: String = "application/json"
    var headers: [String: String] = [:]
    var body: Body

    static func json(_ value: JSONValue, code: Int = 200, warnings: [String] = []) -> APIResponse {
        var response = APIResponse(code: code, body: .text(value.jsonText))
        if !warnings.isEmpty {
            response.headers["Warning"] = warnings.map { "299 - \"\($0.replacingOccurrences(of: "\"", with: "'"))\"" }
                .joined(separator: ", ")
        }
        return response
    }

    static func error(_ error: APIError) -> APIResponse {
        if let plain = error.plainTextBody {
            return APIResponse(code: error.code, contentType: "text/plain; charset=utf-8", headers: error.headers, body: .text(plain))
        }
        let encoder = JSONEncoder()
        let text = (try? encoder.encode(error.status)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        return APIResponse(code: error.code, headers: error.headers, body: .text(text))
    }
}
