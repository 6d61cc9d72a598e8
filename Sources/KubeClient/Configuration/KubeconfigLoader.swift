import Foundation
import Yams

/// Loads kubeconfig files and resolves one context into a `ClientConfiguration`, following kubectl's
/// rules: `--kubeconfig` names exactly one file that must exist; otherwise every file in `KUBECONFIG`
/// (colon-separated, missing files skipped) is merged, with the first file to define a cluster, user,
/// context or `current-context` winning; otherwise `~/.kube/config`. Relative paths in a file are
/// resolved against that file's directory.
public struct KubeconfigLoader: Sendable {
    public var explicitPath: String?
    public var environmentValue: String?
    public var homeDirectory: String
    /// The command-line flags that named the file and the context, for error messages (a program
    /// that talks to two clusters names the second pair differently, e.g. `--target-kubeconfig`).
    public var flags = Flags()

    public struct Flags: Sendable, Hashable {
        public var kubeconfig: String
        public var context: String

        public init(kubeconfig: String = "--kubeconfig", context: String = "--context") {
            self.kubeconfig = kubeconfig
            self.context = context
        }
    }

    /// - Parameters:
    ///   - explicitPath: the `--kubeconfig` flag.
    ///   - environment: usually `ProcessInfo.processInfo.environment`; only `KUBECONFIG` and `HOME` are read.
    public init(explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.explicitPath = explicitPath
        self.environmentValue = environment["KUBECONFIG"]
        self.homeDirectory = environment["HOME"] ?? NSHomeDirectory()
    }

    /// The files that take part, in precedence order.
    public func candidateFiles() throws(ConfigurationError) -> [String] {
        if let explicitPath, !explicitPath.isEmpty {
            guard FileManager.default.fileExists(atPath: explicitPath) else {
                throw ConfigurationError("kubeconfig \(explicitPath) (from \(flags.kubeconfig)) does not exist")
            }
            return [explicitPath]
        }
        if let environmentValue, !environmentValue.isEmpty {
            var seen = Set<String>()
            let files = environmentValue.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
            return files.filter { FileManager.default.fileExists(atPath: $0) }
        }
        let home = homeDirectory + "/.kube/config"
        return FileManager.default.fileExists(atPath: home) ? [home] : []
    }

    /// Merges the candidate files into one view with per-entry provenance.
    public func load() throws(ConfigurationError) -> MergedKubeconfig {
        let files = try candidateFiles()
        if files.isEmpty {
            let source = environmentValue.map { "KUBECONFIG=\($0)" } ?? "\(homeDirectory)/.kube/config"
            throw ConfigurationError("no kubeconfig found: \(source) names no existing file")
        }
        var merged = MergedKubeconfig(files: files)
        for file in files {
            let document = try Self.parse(file: file)
            merged.absorb(document, from: file)
        }
        return merged
    }

    /// Loads and resolves in one step: the context named by `context` (the `--context` flag) or the
    /// merged `current-context`.
    public func configuration(context: String? = nil) throws(ConfigurationError) -> ClientConfiguration {
        try load().configuration(context: context, contextFlag: flags.context)
    }

    static func parse(file: String) throws(ConfigurationError) -> KubeconfigDocument {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigurationError("kubeconfig \(file): cannot read: \(error.localizedDescription)")
        }
        return try parse(text: text, file: file)
    }

    static func parse(text: String, file: String) throws(ConfigurationError) -> KubeconfigDocument {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return KubeconfigDocument() }
        do {
            return try YAMLDecoder().decode(KubeconfigDocument.self, from: text)
        } catch let error as DecodingError {
            throw ConfigurationError("kubeconfig \(file): \(Self.describe(error))")
        } catch {
            throw ConfigurationError("kubeconfig \(file): \(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "field \(path(context.codingPath)): expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "field \(path(context.codingPath)): missing \(type)"
        case .keyNotFound(let key, let context):
            return "field \(path(context.codingPath + [key])): required"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath).isEmpty ? "" : "field \(path(context.codingPath)): ")\(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
