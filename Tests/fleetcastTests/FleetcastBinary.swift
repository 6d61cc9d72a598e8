import FleetcastTesting
import Foundation

/// Runs the built `fleetcast` executable (or `fleetcast-dev`, the developer tools), found in the build
/// products directory next to the test bundle (this test target depends on both executable targets, so
/// `swift test` builds them first).
struct FleetcastBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func locate() throws -> URL {
        try TestResources.executable("fleetcast")
    }

    /// `fleetcast-dev`: `dev-cluster` and `demo`.
    static func locateDevTools() throws -> URL {
        try TestResources.executable("fleetcast-dev")
    }

    /// Runs the binary to completion. The blocking pipe reads and wait happen on a thread of their own,
    /// so concurrent tests never park the cooperative pool (2 threads on a 2-core machine) behind a child.
    static func run(_ arguments: [String], stdin: String? = nil, executable: URL? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, stdin: stdin, executable: executable) })
            }
            thread.start()
        }
    }

    private static func runBlocking(_ arguments: [String], stdin: String?, executable: URL?) throws -> Result {
        let process = Process()
        process.executableURL = try executable ?? locate()
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory holding `files` (name → contents).
    static func directory(with files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleetcast-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }
}
