import Foundation
import Yams

/// `--set spec.path=value`: what-if edits of a pool's YAML node, applied by `PoolSelection` before the
/// pool is decoded and validated, so an override is checked exactly like the file (types, enums, rules).
/// Only an editor: which pool it edits, and reading it, is `PoolSelection`'s job. Paths are
/// dotted field names with `[i]` list indices (`spec.schedules[0].gpus=64`); values are YAML
/// (`15m`, `2`, `[24h, 168h]`, `{minIdleNodes: 2}`); missing intermediate objects are created.
public struct SpecOverride: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case field(String)
        case index(Int)
    }

    public var text: String
    public var path: [Step]
    public var value: String

    public var description: String { text }

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(Problem) {
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
    public func apply(to root: Node) throws(Problem) -> Node {
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
