import KubeAPI

/// One problem in a manifest file, located by line: `FILE:LINE: FIELD-PATH: message`, or for YAML syntax
/// errors `FILE:LINE:COLUMN: message`. This is what `fleetcast validate` prints and what the simulator and
/// operator report when a pool file is bad.
public struct ManifestProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The field-level error, when the problem is about a field.
    public var fieldError: FieldError?
    /// The message when the problem is not about one field (syntax errors, missing kind).
    public var message: String

    public init(file: String, line: Int?, column: Int? = nil, fieldError: FieldError) {
        self.file = file
        self.line = line
        self.column = column
        self.fieldError = fieldError
        self.message = fieldError.description
    }

    public init(file: String, line: Int?, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.fieldError = nil
        self.message = message
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}

/// One YAML document of a manifest file and what the loader made of it.
public struct LoadedDocument: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// A GPUPool that decoded strictly and passed validation; as written, not defaulted.
        case pool(GPUPool)
        /// A GPUPool (or a document that could not be identified) with every problem found.
        case invalid([ManifestProblem])
        /// A document of another kind, noted and left alone.
        case skipped(apiVersion: String, kind: String, name: String?)
    }

    public var file: String
    /// 0-based position among the file's objects (non-empty documents, and the items of `v1 List`s).
    public var index: Int
    /// Line the document's content starts on.
    public var line: Int
    public var outcome: Outcome
}

/// Why a manifest file could not be used as a whole.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [ManifestProblem]

    public init(problems: [ManifestProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
