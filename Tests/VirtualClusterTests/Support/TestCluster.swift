import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A virtual cluster started for one test, with a small HTTP client over its plain-HTTP listener
/// (bearer token sent explicitly; kubectl tests use HTTPS).
struct TestCluster {
    let cluster: RunningVirtualCluster

    struct Reply {
        var code: Int
        var body: JSONValue
        var text: String
        var headers: [String: String]
    }

    static func with<T>(_ configure: (inout VirtualClusterConfiguration) -> Void = { _ in },
                        _ body: (TestCluster) async throws -> T) async throws -> T {
        var configuration = VirtualClusterConfiguration()
        configure(&configuration)
        let cluster = try await VirtualCluster.start(configuration)
        do {
            let result = try await body(TestCluster(cluster: cluster))
            await cluster.shutdown()
            return result
        } catch {
            await cluster.shutdown()
            throw error
        }
    }

    @discardableResult
    func request(_ method: String, _ path: String, json: String? = nil, contentType: String = "application/json",
                 token: String? = nil, accept: String = "application/json") async throws -> Reply {
        let base = try #require(cluster.httpURL)
        var request = URLRequest(url: try #require(URL(string: base.absoluteString + path)))
        request.httpMethod = method
        request.setValue("Bearer \(token ?? cluster.adminToken)", forHTTPHeaderField: "Authorization")
        request.setValue(accept, forHTTPHeaderField: "Accept")
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        request.timeoutInterval = 60
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        let text = String(decoding: data, as: UTF8.self)
        let body = (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
        return Reply(code: http.statusCode, body: body, text: text, headers: headers)
    }

    /// Watch events of a watch request that ends by itself (`timeoutSeconds`, 410, dropped watch).
    func watchEvents(_ path: String) async throws -> [JSONValue] {
        let reply = try await request("GET", path)
        #expect(reply.code == 200, "watch answered \(reply.code): \(reply.text)")
        return reply.text.split(separator: "\n").compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    /// Creates an object from JSON text and returns the stored object.
    @discardableResult
    func create(_ collectionPath: String, _ json: String) async throws -> JSONValue {
        let reply = try await request("POST", collectionPath, json: json)
        #expect(reply.code == 201, "create answered \(reply.code): \(reply.text)")
        return reply.body
    }

    func loadFile(_ relativePath: String) async throws {
        let url = packageRoot.appendingPathComponent(relativePath)
        let text = try String(contentsOf: url, encoding: .utf8)
        try await cluster.apply(manifestYAML: text, file: relativePath)
    }
}

/// The package root (…/Tests/VirtualClusterTests/Support/TestCluster.swift → root).
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A file of `../shared/fixtures` beside the package root (also found from a git worktree one level
/// deeper, `/work/wt/<name>` → `/work/shared`).
func sharedFixture(_ name: String) -> URL? {
    ["../shared/fixtures", "../../shared/fixtures"].map {
        packageRoot.appendingPathComponent($0).appendingPathComponent(name).standardized
    }.first { FileManager.default.fileExists(atPath: $0.path) }
}

extension JSONValue {
    func at(_ path: String) -> JSONValue? {
        value(at: path.split(separator: ".").map(String.init))
    }
}
