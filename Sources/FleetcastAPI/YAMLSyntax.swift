import Yams

/// YAML syntax errors as `FILE:LINE:COLUMN: message`, from libyaml's marks.
enum YAMLSyntax {
    static func problem(_ error: YamlError, file: String) -> ManifestProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return ManifestProblem(file: file, line: mark.line, column: mark.column, message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            let first = context.mark
            // Point at the repeat, the line to fix, naming where the key was first given.
            if let key = duplicates.first,
               let repeated = DuplicateKeyLocation.secondOccurrence(of: key, firstAtLine: first.line, column: first.column, in: context.text) {
                return ManifestProblem(file: file, line: repeated.line, column: repeated.column,
                                       message: "YAML syntax error: duplicate key \(keys) in mapping (first given at line \(first.line))")
            }
            return ManifestProblem(file: file, line: first.line, column: first.column,
                                   message: "YAML syntax error: duplicate key \(keys) in mapping")
        case .reader(let problem, _, _, _):
            return ManifestProblem(file: file, line: nil, message: "YAML syntax error: \(problem)")
        default:
            return ManifestProblem(file: file, line: nil, message: "YAML syntax error: \(error)")
        }
    }
}
