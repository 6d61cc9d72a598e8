import Foundation

/// Runs an external tool (kubectl, promtool, curl) to its end without blocking a thread: output goes
/// to a file (stdout and stderr together), exit is awaited through a continuation.
public enum ToolRun {
    public static func run(_ executable: String, _ arguments: [String], stdin: URL? = nil) async throws -> (Int32, String) {
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
        var status: Int32 = -1
        for await value in statuses { status = value }
        return (status, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    /// The first executable named `tool` on `$PATH`.
    public static func onPath(_ tool: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
