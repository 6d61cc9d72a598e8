import FleetcastAPI
import Foundation
import Yams

/// The one way every command picks its GPUPool from `-f FILE` (`simulate`, `forecast`, `fleetcast-dev
/// demo`), so the same file and flags mean the same pool everywhere:
///
/// 1. The file must validate as a whole, as `fleetcast validate FILE` would: a YAML syntax error or an
///    invalid GPUPool anywhere in it is an error naming `FILE:LINE` and the field path, even when another
///    pool is chosen. Documents of other kinds are ignored.
/// 2. A file with one GPUPool selects it; `--pool NAME` must then name it.
/// 3. A file with several needs `--pool NAME`; the error lists the names to choose from.
/// 4. `--set` overrides edit the chosen pool's YAML, which is then validated again, so an override is
///    checked exactly like the file.
public enum PoolSelection {
    /// Why no pool was selected. One case per rule, so the exit status follows from the reason.
    public enum Reason: Sendable, Hashable {
        /// The file cannot be read (missing, a directory, permission denied).
        case unreadable
        /// The file is not valid: a YAML syntax error or an invalid GPUPool.
        case invalid
        /// The file holds no GPUPool.
        case noPool
        /// Several GPUPools and no `--pool NAME`.
        case ambiguous
        /// `--pool NAME` names no GPUPool in the file.
        case notFound
        /// A `--set` override does not apply, or the pool it leaves is invalid.
        case invalidOverride
    }

    public struct Problem: Error, CustomStringConvertible, Sendable, Hashable {
        public var reason: Reason
        public var description: String

        public init(reason: Reason, description: String) {
            self.reason = reason
            self.description = description
        }

        /// 2 (usage or I/O) when the file cannot be read or the command line does not pick one pool;
        /// 1 (invalid input) when the file's content or an override is wrong.
        public var exitStatus: Int32 {
            switch reason {
            case .unreadable, .ambiguous, .notFound: ExitStatus.usageOrIO
            case .invalid, .noPool, .invalidOverride: ExitStatus.invalid
            }
        }
    }

    /// The pool `name` (or the only pool) of the manifest file at `path`, with `overrides` applied.
    public static func select(file path: String, name: String?, overrides: [SpecOverride] = []) throws(Problem) -> GPUPool {
        let text: String
        do {
            text = String(decoding: try FileProblem.contents(of: path), as: UTF8.self)
        } catch {
            throw Problem(reason: .unreadable, description: "\(path): cannot read: \(error.description)")
        }
        return try select(text: text, file: path, name: name, overrides: overrides)
    }

    /// The same rules over text already read; `file` names it in messages.
    public static func select(text: String, file: String, name: String?, overrides: [SpecOverride] = []) throws(Problem) -> GPUPool {
        let pools = try validPools(text, file: file)
        let pool = try choose(from: pools, file: file, name: name)
        guard !overrides.isEmpty else { return pool }
        return try applying(overrides, to: text, file: file, name: pool.metadata.name ?? "")
    }

    /// Every GPUPool of the file, or every problem of the file.
    private static func validPools(_ text: String, file: String) throws(Problem) -> [GPUPool] {
        let documents: [LoadedDocument]
        do {
            documents = try loadGPUPools(fromYAML: text, file: file)
        } catch {
            throw Problem(reason: .invalid, description: error.description)
        }
        var pools: [GPUPool] = []
        var problems: [String] = []
        for document in documents {
            switch document.outcome {
            case .pool(let pool): pools.append(pool)
            case .invalid(let found): problems += found.map(\.description)
            case .skipped: break
            }
        }
        if !problems.isEmpty { throw Problem(reason: .invalid, description: problems.joined(separator: "\n")) }
        return pools
    }

    private static func choose(from pools: [GPUPool], file: String, name: String?) throws(Problem) -> GPUPool {
        guard !pools.isEmpty else {
            throw Problem(reason: .noPool, description: "\(file): no GPUPool (\(GPUPool.apiVersion)) document found")
        }
        let names = pools.map { $0.metadata.name ?? "" }
        let listed = names.joined(separator: ", ")
        guard let name else {
            guard pools.count == 1 else {
                throw Problem(reason: .ambiguous, description: "\(file): \(pools.count) GPUPools (\(listed)); choose one with --pool NAME")
            }
            return pools[0]
        }
        if let index = names.firstIndex(of: name) { return pools[index] }
        var message = "\(file): no GPUPool named \(name) (found: \(listed))"
        if FileManager.default.fileExists(atPath: name) {
            message += "; --pool takes a pool name, give the file with -f \(name)"
        }
        throw Problem(reason: .notFound, description: message)
    }

    /// Applies the overrides to the chosen pool's document and validates the result. Line numbers
    /// would refer to the edited document, so problems name the overrides and the field path.
    private static func applying(_ overrides: [SpecOverride], to text: String, file: String, name: String) throws(Problem) -> GPUPool {
        let label = "\(file) with " + overrides.map { "--set \($0.text)" }.joined(separator: " ")
        var roots: [Node] = []
        do {
            for root in try Yams.compose_all(yaml: text) { roots.append(contentsOf: listItems(root) ?? [root]) }
        } catch {
            throw Problem(reason: .invalid, description: "\(file): cannot read YAML: \(error)")
        }
        guard var root = roots.first(where: { $0["kind"]?.string == GPUPool.kind && $0["metadata"]?["name"]?.string == name }) else {
            throw Problem(reason: .invalidOverride, description: "\(label): cannot find the GPUPool \(name) to apply --set to")
        }
        do {
            for override in overrides { root = try override.apply(to: root) }
        } catch {
            throw Problem(reason: .invalidOverride, description: error.description)
        }
        let edited: String
        do {
            edited = try Yams.serialize(node: root)
        } catch {
            throw Problem(reason: .invalidOverride, description: "\(label): cannot write YAML: \(error)")
        }
        let documents: [LoadedDocument]
        do {
            documents = try loadGPUPools(fromYAML: edited, file: label)
        } catch {
            throw Problem(reason: .invalidOverride, description: error.description)
        }
        var problems: [String] = []
        for document in documents {
            switch document.outcome {
            case .pool(let pool): return pool
            case .invalid(let found):
                problems += found.map { "\(label): " + ($0.fieldError.map(\.description) ?? $0.message) }
            case .skipped: break
            }
        }
        throw Problem(reason: .invalidOverride, description: problems.isEmpty ? "\(label): no GPUPool after --set" : problems.joined(separator: "\n"))
    }

    /// The items of a `v1 List` document, which `loadGPUPools` reads as its items too.
    private static func listItems(_ root: Node) -> [Node]? {
        guard root["kind"]?.string == "List", root["apiVersion"]?.string == "v1", case .sequence(let items)? = root["items"] else { return nil }
        return Array(items)
    }
}
