import FleetcastTesting
import Foundation
import Testing
@testable import VirtualCluster

/// Runs the real kubectl (found on PATH, or `$FLEETCAST_KUBECTL`) against a virtual cluster, with a
/// kubeconfig and discovery cache in a temporary directory. Never blocks a Swift concurrency thread:
/// output goes to files and termination is awaited through a continuation.
struct Kubectl {
    let directory: URL
    let kubeconfig: String
    let executable: String

    /// - Parameter executable: a kubectl binary; the one on PATH (or `$FLEETCAST_KUBECTL`) when nil.
    init(cluster: RunningVirtualCluster, executable: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleetcast-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try cluster.writeKubeconfig(to: kubeconfig)
        self.executable = try #require(executable ?? Self.locate(), "kubectl not found on PATH")
    }

    /// Other kubectl minor versions installed beside the default one as `kubectl.1.NN` (these machines
    /// carry 1.27 … 1.33 there), oldest first: the version-skew matrix the virtual cluster is tested with.
    static func versionedBinaries() -> [String] {
        guard let located = locate() else { return [] }
        let directory = URL(fileURLWithPath: located).resolvingSymlinksInPath().deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("kubectl.1."), let minor = Int(name.dropFirst("kubectl.1.".count)) else { return nil }
            let path = directory.appendingPathComponent(name).path
            return FileManager.default.isExecutableFile(atPath: path) ? (minor, path) : nil
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The client's minor version, from the `kubectl.1.NN` name or `kubectl version --client`.
    func minorVersion() async throws -> Int? {
        let name = URL(fileURLWithPath: executable).lastPathComponent
        if name.hasPrefix("kubectl.1."), let minor = Int(name.dropFirst("kubectl.1.".count)) { return minor }
        let version = try await run(["version", "--client", "-o", "json"])
        struct Version: Decodable { struct Client: Decodable { var minor: String }; var clientVersion: Client }
        return (try? JSONDecoder().decode(Version.self, from: Data(version.stdout.utf8))).flatMap {
            Int($0.clientVersion.minor.prefix { $0.isNumber })
        }
    }

    static func locate() -> String? {
        ProcessInfo.processInfo.environment["FLEETCAST_KUBECTL"] ?? ToolRun.onPath("kubectl")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A started kubectl process whose output can be polled while it runs.
    final class Running: @unchecked Sendable {
        let process: Process
        let stdoutURL: URL
        let stderrURL: URL
        private let exited: Task<Int32, Never>

        init(process: Process, stdoutURL: URL, stderrURL: URL, exited: Task<Int32, Never>) {
            self.process = process
            self.stdoutURL = stdoutURL
            self.stderrURL = stderrURL
            self.exited = exited
        }

        var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

        func wait() async -> Result {
            let status = await exited.value
            return Result(status: status, stdout: stdout, stderr: stderr)
        }

        /// Polls until `condition` holds on stdout (bounded attempts, no timing assertion).
        func waitForOutput(attempts: Int = 400, _ condition: (String) -> Bool) async throws -> Bool {
            for _ in 0..<attempts {
                if condition(stdout) { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return condition(stdout)
        }
    }

    func start(_ arguments: [String], stdin: String? = nil) throws -> Running {
        let id = UUID().uuidString
        let stdoutURL = directory.appendingPathComponent("\(id).out")
        let stderrURL = directory.appendingPathComponent("\(id).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--kubeconfig", kubeconfig, "--cache-dir", directory.appendingPathComponent("cache").path] + arguments
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        if let stdin {
            let inputURL = directory.appendingPathComponent("\(id).in")
            try Data(stdin.utf8).write(to: inputURL)
            process.standardInput = try FileHandle(forReadingFrom: inputURL)
        }
        let (statuses, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        let exited = Task { () -> Int32 in
            for await status in statuses { return status }
            return -1
        }
        return Running(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL, exited: exited)
    }

    /// Runs kubectl to completion.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil) async throws -> Result {
        try await start(arguments, stdin: stdin).wait()
    }

    /// Writes a manifest file in the temporary directory and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }
}
