import Foundation

/// Files tests read from outside their own target: the real traces and the built executables.
public enum TestResources {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// A real trace: `../shared/data/traces/NAME` next to the package root (as on CI and in the main
    /// checkout), or one level further up for a worktree kept in a subdirectory.
    public static func trace(_ name: String, packageRoot: URL) throws -> String {
        let candidates = ["../shared/data/traces", "../../shared/data/traces"].map {
            packageRoot.appendingPathComponent($0).appendingPathComponent(name).standardized.path
        }
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw NotFound(description: "trace \(name) not found at \(candidates)")
        }
        return found
    }

    /// A built executable of this package, found in the build products directory next to the test
    /// bundle (`swift build --build-tests` builds every product).
    public static func executable(_ name: String) throws -> URL {
        var candidates: [URL] = []
        for start in [Bundle.main.bundleURL, Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap({ $0 }) {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<3 {
                candidates.append(directory.appendingPathComponent(name))
                directory = directory.deletingLastPathComponent()
            }
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.isExecutableFile(atPath: candidate.path),
               FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        throw NotFound(description: "\(name) binary not found; searched \(candidates.map(\.path).joined(separator: ", "))")
    }
}
