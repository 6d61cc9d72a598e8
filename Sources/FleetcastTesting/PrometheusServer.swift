import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Prometheus (Debian's `prometheus`, installed by hack/install-deps.sh) for tests: started on
/// a free loopback port with its own storage directory, optionally seeded with TSDB blocks and
/// scraping loopback targets, and stopped (its directory removed) by `stop()`.
public final class PrometheusServer: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private let process: Process
    private let log: URL

    public var url: String { "http://127.0.0.1:\(port)" }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameters:
    ///   - blocks: a TSDB directory (from `TraceBlocks`) copied in as the server's storage.
    ///   - scrapeTargets: `host:port` targets scraped every `scrapeInterval` (job `fleetcast-test`).
    public static func start(blocks: URL? = nil, scrapeTargets: [String] = [], scrapeInterval: String = "1s") async throws -> PrometheusServer {
        guard let binary = ToolRun.onPath("prometheus") else {
            throw Unavailable(description: "prometheus not on PATH: run hack/install-deps.sh (Debian package prometheus)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        let storage = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let blocks {
            try FileManager.default.copyItem(at: blocks, to: storage)
        } else {
            try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        }
        var config = "global: {scrape_interval: \(scrapeInterval), evaluation_interval: \(scrapeInterval)}\n"
        if !scrapeTargets.isEmpty {
            config += "scrape_configs:\n- job_name: fleetcast-test\n  static_configs:\n  - targets: [\(scrapeTargets.map { "'\($0)'" }.joined(separator: ", "))]\n"
        }
        let configFile = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let port = try LoopbackPort.free()
        let log = directory.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(configFile.path)", "--storage.tsdb.path=\(storage.path)",
            "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:\(port)",
            "--log.level=warn", "--web.enable-lifecycle",
        ]
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        let server = PrometheusServer(port: port, directory: directory, process: process, log: log)
        do {
            try await server.waitUntilReady()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(port: Int, directory: URL, process: Process, log: URL) {
        self.port = port
        self.directory = directory
        self.process = process
        self.log = log
    }

    /// Polls `/-/ready` (Prometheus loads its blocks before it answers 200). Bounded at two minutes:
    /// only a hang becomes a failure.
    private func waitUntilReady() async throws {
        let deadline = Date().addingTimeInterval(120)
        let ready = URL(string: "\(url)/-/ready")!
        while Date() < deadline {
            guard process.isRunning else { throw Unavailable(description: "prometheus exited: \(logText)") }
            if let (_, response) = try? await URLSession.shared.data(from: ready), (response as? HTTPURLResponse)?.statusCode == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Unavailable(description: "prometheus did not become ready: \(logText)")
    }

    public var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    public var isRunning: Bool { process.isRunning }

    /// Stops the server (SIGTERM, then waits for it) and removes its storage.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A GET against the server's HTTP API, for assertions (the code under test uses its own client).
    public func get(_ pathAndQuery: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url + pathAndQuery)!)
        return String(decoding: data, as: UTF8.self)
    }
}
