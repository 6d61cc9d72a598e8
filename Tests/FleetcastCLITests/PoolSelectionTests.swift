import FleetcastAPI
import FleetcastCLI
import Foundation
import Testing

/// The one rule every command picks its pool from `-f FILE [--pool NAME] [--set …]` by.
@Suite("PoolSelection")
struct PoolSelectionTests {
    static func pool(_ name: String, max: Int = 10) -> String {
        """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata:
          name: \(name)
        spec:
          nodes:
            selector: {matchLabels: {pool: \(name)}}
            gpusPerNode: 8
            max: \(max)
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: \(name)}
          demand:
            pods:
              selector: {matchLabels: {pool: \(name)}}
        """
    }

    static let configMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: other}
        """

    static func file(_ documents: String...) -> String { documents.joined(separator: "\n---\n") + "\n" }

    /// (file contents, --pool, chosen pool or nil, expected reason, substrings of the message)
    static let cases: [(String, String?, String?, PoolSelection.Reason?, [String])] = [
        // one pool: selected with or without its name
        (file(pool("a")), nil, "a", nil, []),
        (file(pool("a")), "a", "a", nil, []),
        // one pool and other kinds: the other kinds are ignored
        (file(configMap, pool("a")), nil, "a", nil, []),
        // several pools: --pool NAME chooses; without it, an error listing the names
        (file(pool("a"), pool("b")), "b", "b", nil, []),
        (file(pool("a"), pool("b")), nil, nil, .ambiguous, ["pool.yaml: 2 GPUPools (a, b); choose one with --pool NAME"]),
        // a name that is not there, listing the names there are
        (file(pool("a"), pool("b")), "c", nil, .notFound, ["pool.yaml: no GPUPool named c (found: a, b)"]),
        (file(pool("a")), "c", nil, .notFound, ["no GPUPool named c (found: a)"]),
        // no pool at all
        (file(configMap), nil, nil, .noPool, ["pool.yaml: no GPUPool (fleetcast.dev/v1alpha1) document found"]),
        ("", nil, nil, .noPool, ["no GPUPool"]),
        // an invalid pool is an error with file, line and field path, even when another is chosen
        (file(pool("a", max: -1)), nil, nil, .invalid, ["pool.yaml:9: spec.nodes.max"]),
        (file(pool("a"), pool("b", max: -1)), "a", nil, .invalid, ["pool.yaml:23: spec.nodes.max"]),
        // a YAML syntax error, with its line
        ("kind: GPUPool\nspec: [unclosed\n", nil, nil, .invalid, ["pool.yaml:"]),
    ]

    @Test("chooses by the shared rule", arguments: cases)
    func selects(contents: String, name: String?, chosen: String?, reason: PoolSelection.Reason?, messages: [String]) {
        do {
            let pool = try PoolSelection.select(text: contents, file: "pool.yaml", name: name)
            #expect(pool.metadata.name == chosen)
            #expect(reason == nil, "expected \(String(describing: reason)), selected \(pool.metadata.name ?? "")")
        } catch {
            #expect(error.reason == reason, "\(error.description)")
            #expect(chosen == nil)
            for message in messages {
                #expect(error.description.contains(message), "\(error.description) does not contain \(message)")
            }
        }
    }

    @Test("exit status: 2 when the command line does not pick one pool or the file cannot be read, 1 for bad content",
          arguments: [
              (PoolSelection.Reason.unreadable, Int32(2)), (.ambiguous, 2), (.notFound, 2),
              (.invalid, 1), (.noPool, 1), (.invalidOverride, 1),
          ])
    func exitStatus(reason: PoolSelection.Reason, status: Int32) {
        #expect(PoolSelection.Problem(reason: reason, description: "").exitStatus == status)
    }

    /// (--pool, --set texts, the chosen pool's nodes.max or nil, reason, substring of the message)
    static let overrideCases: [(String?, [String], Int?, PoolSelection.Reason?, String)] = [
        ("b", ["spec.nodes.max=40"], 40, nil, ""),
        ("a", ["spec.nodes.max=40", "spec.nodes.max=41"], 41, nil, ""),
        // the edited pool is validated again, reported by override and field path
        ("b", ["spec.nodes.max=-2"], nil, .invalidOverride, "pool.yaml with --set spec.nodes.max=-2: spec.nodes.max"),
        ("b", ["spec.nodes.gpusPerNode=[1]"], nil, .invalidOverride, "spec.nodes.gpusPerNode"),
        // an override that cannot apply
        ("a", ["spec.nodes.selector[0]=x"], nil, .invalidOverride, "is used on something that is not a list"),
        // overrides never make the choice for you
        (nil, ["spec.nodes.max=40"], nil, .ambiguous, "choose one with --pool NAME"),
    ]

    @Test("--set edits only the chosen pool, which is validated again", arguments: overrideCases)
    func overrides(name: String?, sets: [String], max: Int?, reason: PoolSelection.Reason?, message: String) throws {
        let overrides = try sets.map { try SpecOverride(parsing: $0) }
        let contents = Self.file(Self.pool("a"), Self.pool("b"))
        do {
            let pool = try PoolSelection.select(text: contents, file: "pool.yaml", name: name, overrides: overrides)
            #expect(pool.metadata.name == name)
            #expect(pool.spec.nodes.max == max)
            #expect(reason == nil)
        } catch {
            #expect(error.reason == reason, "\(error.description)")
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test("a file that cannot be read is named with the operating system's reason")
    func unreadable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pool-selection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.yaml").path
        #expect(throws: PoolSelection.Problem(reason: .unreadable, description: "\(missing): cannot read: no such file or directory")) {
            try PoolSelection.select(file: missing, name: nil)
        }
        #expect(throws: PoolSelection.Problem(reason: .unreadable, description: "\(directory.path): cannot read: is a directory")) {
            try PoolSelection.select(file: directory.path, name: nil)
        }
    }

    @Test("--pool given a path that exists hints at -f")
    func pathAsName() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pool-selection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pool.yaml").path
        try Self.file(Self.pool("a")).write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try PoolSelection.select(file: path, name: path)
            Issue.record("selected a pool named after a path")
        } catch {
            #expect(error.reason == .notFound)
            #expect(error.description.hasSuffix("; --pool takes a pool name, give the file with -f \(path)"), "\(error.description)")
        }
    }
}
