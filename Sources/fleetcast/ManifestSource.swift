import Foundation

/// One manifest to read: a named text. Paths given on the command line expand to these, directories to
/// their YAML and JSON files in name order, `-` to standard input.
struct ManifestSource {
    var name: String
    var text: String

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static let manifestExtensions: Set<String> = ["yaml", "yml", "json"]

    static func expand(_ paths: [String], recursive: Bool) throws(ReadError) -> [ManifestSource] {
        var sources: [ManifestSource] = []
        for path in paths {
            if path == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                sources.append(ManifestSource(name: "<stdin>", text: try decode(data, name: "<stdin>")))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReadError(description: "cannot read \(path): no such file or directory")
            }
            if isDirectory.boolValue {
                let files = try manifestFiles(in: path, recursive: recursive)
                if files.isEmpty {
                    throw ReadError(description: "no *.yaml, *.yml or *.json files in directory \(path)")
                }
                sources += try files.map { file throws(ReadError) in try read(file) }
            } else {
                sources.append(try read(path))
            }
        }
        return sources
    }

    private static func read(_ path: String) throws(ReadError) -> ManifestSource {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "cannot read \(path): permission denied or not a regular file")
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
