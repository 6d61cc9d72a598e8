import Foundation

/// One manifest to read: a named text. Paths given on the command line expand to these, directories to
/// their YAML and JSON files in name order, `-` to standard input.
public struct ManifestSource: Sendable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// What the paths expanded to: every file that could be read, and a message for each one that
    /// could not. One unreadable file never hides the others.
    public struct Expansion: Sendable {
        public var sources: [ManifestSource] = []
        public var unreadable: [ReadError] = []
    }

    public static let manifestExtensions: Set<String> = ["yaml", "yml", "json"]

    public static func expand(_ paths: [String], recursive: Bool) -> Expansion {
        var expansion = Expansion()
        for path in paths {
            if path == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                expansion.add { () throws(ReadError) in ManifestSource(name: "<stdin>", text: try decode(data, name: "<stdin>")) }
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                expansion.unreadable.append(ReadError(description: "cannot read \(path): \(FileProblem.whyMissing(path))"))
                continue
            }
            if isDirectory.boolValue {
                do {
                    let files = try manifestFiles(in: path, recursive: recursive)
                    if files.isEmpty {
                        expansion.unreadable.append(ReadError(description: "no *.yaml, *.yml or *.json files in directory \(path)"))
                    }
                    for file in files { expansion.add { () throws(ReadError) in try read(file) } }
                } catch {
                    expansion.unreadable.append(error)
                }
            } else {
                expansion.add { () throws(ReadError) in try read(path) }
            }
        }
        return expansion
    }

    /// Every file, or the first reason one could not be read (for tools that need all of them).
    public static func readAll(_ paths: [String], recursive: Bool) throws(ReadError) -> [ManifestSource] {
        let expansion = expand(paths, recursive: recursive)
        if let first = expansion.unreadable.first { throw first }
        return expansion.sources
    }

    private static func read(_ path: String) throws(ReadError) -> ManifestSource {
        let data: Data
        do {
            data = try FileProblem.contents(of: path)
        } catch {
            throw ReadError(description: "cannot read \(path): \(error.description)")
        }
        return ManifestSource(name: path, text: try decode(data, name: path))
    }

    private static func decode(_ data: Data, name: String) throws(ReadError) -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "cannot read \(name): not UTF-8 text")
        }
        return text
    }

    private static func manifestFiles(in directory: String, recursive: Bool) throws(ReadError) -> [String] {
        let base = URL(fileURLWithPath: directory)
        let names: [String]
        do {
            names = recursive
                ? (FileManager.default.subpaths(atPath: directory) ?? [])
                : try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ReadError(description: "cannot list \(directory): \(error.localizedDescription)")
        }
        return names
            .filter { manifestExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
            .sorted()
            .map { directory == "." ? $0 : base.appendingPathComponent($0).relativePath }
    }
}

extension ManifestSource.Expansion {
    fileprivate mutating func add(_ read: () throws(ManifestSource.ReadError) -> ManifestSource) {
        do {
            sources.append(try read())
        } catch {
            unreadable.append(error)
        }
    }
}
