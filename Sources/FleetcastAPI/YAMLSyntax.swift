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
        case .reader(let problem, _, _, let yaml):
            // libyaml's reader reports a byte offset only (e.g. for a control character); say where it is.
            let position = firstUnreadableCharacter(in: yaml)
            return ManifestProblem(file: file, line: position?.line, column: position?.column, message: "YAML syntax error: \(problem)")
        default:
            return ManifestProblem(file: file, line: nil, message: "YAML syntax error: \(error)")
        }
    }

    /// Line and column (1-based, in characters) of the first character libyaml's reader refuses: a C0 or
    /// C1 control other than tab, line feed, carriage return and next line, or a non-character
    /// (U+FFFE, U+FFFF), as the YAML 1.1 printable set says.
    static func firstUnreadableCharacter(in text: String) -> (line: Int, column: Int)? {
        var line = 1
        var column = 1
        for character in text {
            if character.unicodeScalars.contains(where: { !isPrintable($0.value) }) { return (line, column) }
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    private static func isPrintable(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
