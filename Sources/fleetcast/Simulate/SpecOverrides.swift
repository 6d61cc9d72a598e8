import FleetcastAPI
import Foundation
import Yams

/// `--set spec.path=value`: what-if edits applied to the pool's YAML before it is decoded and
/// validated, so an override is checked exactly like the file (types, enums, rules). Paths are
/// dotted field names with `[i]` list indices (`spec.schedules[0].gpus=64`); values are YAML
/// (`15m`, `2`, `[24h, 168h]`, `{minIdleNodes: 2}`); missing intermediate objects are created.
struct SpecOverride: Sendable, Hashable, CustomStringConvertible {
    enum Step: Sendable, Hashable {
        case field(String)
        case index(Int)
    }

    var text: String
    var path: [Step]
    var value: String

    var description: String { text }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing text: String) throws(Problem) {
        guard let equals = text.firstIndex(of: "=") else {
            throw Problem(description: "--set \(text): expected spec.path=value")
        }
        self.text = text
        value = String(text[text.index(after: equals)...])
        let pathText = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        var steps: [Step] = []
        for component in pathText.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(component)
            guard let nameEnd = rest.firstIndex(of: "[") ?? Optional(rest.endIndex) else { break }
            let name = rest[..<nameEnd]
            guard !name.isEmpty else { throw Problem(description: "--set \(text): empty field name in \(pathText)") }
            steps.append(.field(String(name)))
            rest = rest[nameEnd...]
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    throw Problem(description: "--set \(text): bad list index in \(pathText) (expected name[0])")
                }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { throw Problem(description: "--set \(text): unexpected \(rest) in \(pathText)") }
        }
        guard case .field("spec") = steps.first, steps.count > 1 else {
            throw Problem(description: "--set \(text): the path must start with spec. (e.g. spec.warmPool.minIdleNodes=2)")
        }
        path = steps
    }

    /// Applies the override to a document's root node.
    func apply(to root: Node) throws(Problem) -> Node {
        let parsed: Node
        do {
            parsed = try Yams.compose(yaml: value) ?? Node("", Tag(.null))
        } catch {
            throw Problem(description: "--set \(text): the value is not valid YAML: \(error)")
        }
        return try set(parsed, at: path[...], in: root)
    }

    private func set(_ value: Node, at path: ArraySlice<Step>, in node: Node) throws(Problem) -> Node {
        guard let step = path.first else { return value }
        let rest = path.dropFirst()
        switch step {
        case .field(let name):
            var mapping: Node.Mapping
            switch node {
            case .mapping(let existing): mapping = existing
            case .scalar(let scalar) where ["", "~", "null"].contains(scalar.string): mapping = Node.Mapping([])
            default: throw Problem(description: "--set \(text): \(name) is set on something that is not an object")
            }
            let child = mapping[name] ?? Self.empty(for: rest.first)
            mapping[name] = try set(value, at: rest, in: child)
            return .mapping(mapping)
        case .index(let index):
            guard case .sequence(var sequence) = node else {
                throw Problem(description: "--set \(text): [\(index)] is used on something that is not a list")
            }
            if index == sequence.count {
                sequence.append(try set(value, at: rest, in: Self.empty(for: rest.first)))
            } else if index < sequence.count {
                sequence[index] = try set(value, at: rest, in: sequence[index])
            } else {
                throw Problem(description: "--set \(text): index \(index) is past the end of a list of \(sequence.count)")
            }
            return .sequence(sequence)
        }
    }

    private static func empty(for next: Step?) -> Node {
        if case .index = next { return .sequence(Node.Sequence([])) }
        return .mapping(Node.Mapping([]))
    }
}

/// Reads the pool for a simulation: the GPUPool in `path` (the one named `name` when the file holds
/// several), with `overrides` applied and everything validated. Problems carry file and line (for the
/// file) or the override and field path (for `--set`).
enum SimulationPoolLoader {
    static func load(path: String, name: String?, overrides: [SpecOverride]) throws(SpecOverride.Problem) -> GPUPool {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SpecOverride.Problem(description: "\(path): cannot read: \(error.localizedDescription)")
        }
        let pool = try choose(from: documents(text, file: path), file: path, name: name)
        guard !overrides.isEmpty else { return pool }
        return try applying(overrides, to: text, file: path, name: pool.metadata.name)
    }

    private static func documents(_ text: String, file: String) throws(SpecOverride.Problem) -> [LoadedDocument] {
        do {
            return try loadGPUPools(fromYAML: text, file: file)
        } catch {
            throw SpecOverride.Problem(description: error.description)
        }
    }

    private static func choose(from documents: [LoadedDocument], file: String, name: String?) throws(SpecOverride.Problem) -> GPUPool {
        var pools: [GPUPool] = []
        var problems: [String] = []
        for document in documents {
            switch document.outcome {
            case .pool(let pool): pools.append(pool)
            case .invalid(let found):
                problems += found.map(\.description)
            case .skipped: break
            }
        }
        if let name {
            if let pool = pools.first(where: { $0.metadata.name == name }) { return pool }
            if !problems.isEmpty { throw SpecOverride.Problem(description: problems.joined(separator: "\n")) }
            throw SpecOverride.Problem(description: "\(file): no valid GPUPool named \(name) (found: \(pools.compactMap(\.metadata.name).joined(separator: ", ")))")
        }
        if !problems.isEmpty { throw SpecOverride.Problem(description: problems.joined(separator: "\n")) }
        guard let first = pools.first else { throw SpecOverride.Problem(description: "\(file): no GPUPool document found") }
        if pools.count > 1 {
            throw SpecOverride.Problem(description: "\(file): \(pools.count) GPUPools; choose one with --pool NAME")
        }
        return first
    }

    private static func applying(_ overrides: [SpecOverride], to text: String, file: String, name: String?) throws(SpecOverride.Problem) -> GPUPool {
        var roots: [Node] = []
        do {
            for root in try Yams.compose_all(yaml: text) { roots.append(root) }
        } catch {
            throw SpecOverride.Problem(description: "\(file): cannot read YAML: \(error)")
        }
        guard var root = roots.first(where: { $0["kind"]?.string == GPUPool.kind && $0["metadata"]?["name"]?.string == name }) else {
            throw SpecOverride.Problem(description: "\(file): cannot find the GPUPool to apply --set to")
        }
        for override in overrides { root = try override.apply(to: root) }
        let label = "\(file) with " + overrides.map { "--set \($0.text)" }.joined(separator: " ")
        let edited: String
        do {
            edited = try Yams.serialize(node: root)
        } catch {
            throw SpecOverride.Problem(description: "\(label): cannot write YAML: \(error)")
        }
        // Line numbers refer to the edited document, so report field paths only.
        let documents = try documents(edited, file: label)
        var problems: [String] = []
        for document in documents {
            switch document.outcome {
            case .pool(let pool): return pool
            case .invalid(let found):
                problems += found.map { problem in
                    "\(label): " + (problem.fieldError.map(\.description) ?? problem.message)
                }
            case .skipped: break
            }
        }
        throw SpecOverride.Problem(description: problems.isEmpty ? "\(label): no GPUPool after --set" : problems.joined(separator: "\n"))
    }
}
