import Foundation

/// Runs an external tool (kubectl, promtool, curl) to its end without blocking a thread: output goes
/// to a file (stdout and stderr together), exit is awaited through a continuation.
public enum ToolRun {
    /// Runs the tool and returns its exit status and output. A tool still running after `limit` (kubectl
    /// has no request timeout of its own, so a server that never answers would keep it waiting) is
    /// killed and `GaveUpWaiting` thrown, with what it printed so far.
    public static func run(_ executable: String, _ arguments: [String], stdin: URL? = nil,
                           within limit: Duration = .seconds(300)) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: stdin) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        let (statuses, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        try process.run()
        let status = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                for await value in statuses { return value }
                return -1
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard let status else {
            kill(process.processIdentifier, SIGKILL)
            throw GaveUpWaiting(what: "\(executable) \(arguments.joined(separator: " ")) to exit; it printed: \(printed)", bound: limit)
        }
        return (status, printed)
    }

    /// The first executable named `tool` on `$PATH`.
    public static func onPath(_ tool: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
