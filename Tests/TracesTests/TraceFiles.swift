import Foundation
import Testing

/// Locates the real traces: `../shared/data/traces` next to the package root (as on CI and in the main
/// checkout), or one level further up for a git worktree kept in a subdirectory (`wt/NAME`).
func realTracePath(_ name: String) throws -> String {
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let candidates = ["../shared/data/traces", "../../shared/data/traces"].map {
        packageRoot.appendingPathComponent($0).appendingPathComponent(name).standardized.path
    }
    let found = candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    return try #require(found, "trace \(name) not found at \(candidates)")
}

/// A unique scratch file path under the temporary directory.
func scratchFile(_ name: String) -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("fleetcast-traces-\(UUID().uuidString)-\(name)").path
}
