import Foundation
import KubeAPI
import Yams

/// Reads every document of a YAML stream, strictly decodes and validates the GPUPools in it, and notes
/// the other kinds. Problems carry the line they are on. Throws only for a YAML syntax error, which makes
/// the whole stream unreadable (with line and column).
public func loadGPUPools(fromYAML text: String, file: String) throws(ManifestProblem) -> [LoadedDocument] {
    var documents: [LoadedDocument] = []
    do {
        let parser = try Parser(yaml: text)
        while let root = try parser.nextRoot() {
            if YAMLNodes.isNull(root) { continue } // an empty document (only comments or `---`)
            // A `v1 List` (what `kubectl get -o yaml` prints) stands for its items.
            for object in listItems(root) ?? [root] {
                let line = object.mark?.line ?? 1
                let outcome = GPUPoolDocumentReader(file: file, root: object).read()
                documents.append(LoadedDocument(file: file, index: documents.count, line: line, outcome: outcome))
            }
        }
    } catch let error as YamlError {
        throw YAMLSyntax.problem(error, file: file)
    } catch {
        throw ManifestProblem(file: file, line: nil, message: "cannot read YAML: \(error)")
    }
    return documents
}

/// The items of a `kind: List` document (`apiVersion: v1`), or nil for any other document.
private func listItems(_ root: Node) -> [Node]? {
    guard YAMLNodes.member("kind", of: root)?.value.string == "List",
          YAMLNodes.member("apiVersion", of: root)?.value.string == "v1",
          case .sequence(let items)? = YAMLNodes.member("items", of: root)?.value else { return nil }
    return Array(items)
}

/// Every GPUPool in a file, all valid, for tools that need pools rather than a report (the simulator,
/// `fleetcast forecast`). Other kinds are ignored; any problem fails the whole file.
public func loadValidGPUPools(fromFile path: String) throws(ManifestError) -> [GPUPool] {
    let text: String
    do {
        text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ManifestError(problems: [ManifestProblem(file: path, line: nil, message: "cannot read file: \(error.localizedDescription)")])
    }
    let documents: [LoadedDocument]
    do {
        documents = try loadGPUPools(fromYAML: text, file: path)
    } catch {
        throw ManifestError(problems: [error])
    }
    var pools: [GPUPool] = []
    var problems: [ManifestProblem] = []
    for document in documents {
        switch document.outcome {
        case .pool(let pool): pools.append(pool)
        case .invalid(let found): problems += found
        case .skipped: break
        }
    }
    if !problems.isEmpty { throw ManifestError(problems: problems) }
    if pools.isEmpty {
        throw ManifestError(problems: [ManifestProblem(file: path, line: nil, message: "no GPUPool (\(GPUPool.apiVersion)) document found")])
    }
    return pools
}

/// Turns one document's node into an outcome: identify the kind, check the schema, decode, validate.
struct GPUPoolDocumentReader {
    let file: String
    let root: Node

    func read() -> LoadedDocument.Outcome {
        let line = root.mark?.line
        guard case .mapping = root else {
            return .invalid([ManifestProblem(file: file, line: line, message: "a manifest document must be a mapping with apiVersion and kind")])
        }
        let apiVersion = stringField("apiVersion")
        let kind = stringField("kind")
        var identity: [ManifestProblem] = []
        if apiVersion.isEmpty {
            identity.append(problem(.required(FieldPath("apiVersion")), line: line))
        }
        if kind.isEmpty {
            identity.append(problem(.required(FieldPath("kind")), line: line))
        }
        if !identity.isEmpty { return .invalid(identity) }

        guard ManifestIdentity(apiVersion: apiVersion, kind: kind).isMeantForFleetcast else {
            let name = YAMLNodes.member("metadata", of: root).flatMap { YAMLNodes.member("name", of: $0.value)?.value.string }
            return .skipped(apiVersion: apiVersion, kind: kind, name: name)
        }
        // A fleetcast.dev document (or a GPUPool under a mistyped group) that is not exactly ours is an
        // error, not "another kind": skipping it would pass a pool that the API server refuses.
        var mistyped: [ManifestProblem] = []
        if apiVersion != GPUPool.apiVersion {
            mistyped.append(problem(
                .notSupported(FieldPath("apiVersion"), .string(apiVersion), supported: [GPUPool.apiVersion]),
                line: YAMLNodes.line(of: FieldPath("apiVersion"), in: root)))
        }
        if kind != GPUPool.kind {
            mistyped.append(problem(
                .notSupported(FieldPath("kind"), .string(kind), supported: [GPUPool.kind]),
                line: YAMLNodes.line(of: FieldPath("kind"), in: root)))
        }
        if !mistyped.isEmpty { return .invalid(mistyped) }

        var conformance = SchemaConformance()
        conformance.check(root, against: GPUPoolSchema.root, at: FieldPath([]), line: line)
        if !conformance.problems.isEmpty {
            let sorted = conformance.problems.enumerated().sorted {
                ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset)
            }
            return .invalid(sorted.map { problem($0.element.error, line: $0.element.line) })
        }

        let pool: GPUPool
        do {
            guard var json = YAMLNodes.json(root) else {
                return .invalid([ManifestProblem(file: file, line: line, message: "document cannot be represented as JSON (non-string keys or aliases)")])
            }
            for path in conformance.wholeNumberFloats { json.convertWholeNumberToInteger(at: path.steps[...]) }
            pool = try JSONDecoder().decode(GPUPool.self, from: JSONEncoder().encode(json))
        } catch {
            return .invalid([decodingProblem(error)])
        }
        let errors = pool.validate()
        if errors.isEmpty { return .pool(pool) }
        return .invalid(errors.map { problem($0, line: YAMLNodes.line(of: $0.field, in: root)) })
    }

    private func stringField(_ name: String) -> String {
        YAMLNodes.member(name, of: root).flatMap { YAMLNodes.scalarValue($0.value)?.stringValue } ?? ""
    }

    private func problem(_ error: FieldError, line: Int?) -> ManifestProblem {
        ManifestProblem(file: file, line: line, fieldError: error)
    }

    /// A decoding failure the schema check did not anticipate (e.g. a number too large for an integer).
    private func decodingProblem(_ error: any Error) -> ManifestProblem {
        guard let decodingError = error as? DecodingError else {
            return ManifestProblem(file: file, line: root.mark?.line, message: "cannot decode GPUPool: \(error)")
        }
        let (codingPath, detail): ([any CodingKey], String) = switch decodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context), .dataCorrupted(let context):
            (context.codingPath, context.debugDescription)
        @unknown default:
            ([], "\(decodingError)")
        }
        let path = FieldPath(codingPath.map { key in key.intValue.map(FieldPath.Step.index) ?? .field(key.stringValue) })
        let fieldError = FieldError(type: .invalid, field: path, detail: detail)
        return ManifestProblem(file: file, line: YAMLNodes.line(of: path, in: root), fieldError: fieldError)
    }
}

extension JSONValue {
    /// Replaces a whole-number float at `path` (already checked by the schema) with the integer it is.
    mutating func convertWholeNumberToInteger(at path: ArraySlice<FieldPath.Step>) {
        guard let step = path.first else {
            if case .double(let number) = self, let integer = Int64(exactly: number) { self = .int(integer) }
            return
        }
        switch (step, self) {
        case (.field(let name), .object(var members)), (.key(let name), .object(var members)):
            guard var member = members[name] else { return }
            member.convertWholeNumberToInteger(at: path.dropFirst())
            members[name] = member
            self = .object(members)
        case (.index(let index), .array(var items)):
            guard items.indices.contains(index) else { return }
            items[index].convertWholeNumberToInteger(at: path.dropFirst())
            self = .array(items)
        default:
            return
        }
    }
}
