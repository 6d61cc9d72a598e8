/// Where the second occurrence of a duplicated mapping key is. libyaml (through Yams) reports a
/// duplicate at the first occurrence, but the line a user must fix is the repeated one, which is also
/// where kubectl's YAML decoder points. Block mappings keep their keys in one column, so the repeat
/// is the next line that starts a key of the same name at that column before the mapping ends (a
/// non-blank line indented less); flow mappings (`{a: 1, a: 2}`) are searched on the same line.
enum DuplicateKeyLocation {
    /// The 1-based line and column of the repeat of `key`, whose first occurrence is at `line`:`column`
    /// (1-based, as Yams' marks are); nil when the text does not show it plainly.
    static func secondOccurrence(of key: String, firstAtLine line: Int, column: Int, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        let keyColumn = column - 1
        guard line >= 1, line <= lines.count, keyColumn >= 0 else { return nil }
        let spellings = [key, "\"\(key)\"", "'\(key)'"].map(Array.init)

        // A flow mapping: the repeat follows on the same line after a comma.
        let first = lines[line - 1]
        var index = keyColumn + 1
        while index < first.count {
            if first[index] == ",", let start = first[(index + 1)...].firstIndex(where: { $0 != " " }),
               startsKey(first, at: start, spellings: spellings) {
                return (line, start + 1)
            }
            index += 1
        }

        // A block mapping: the next line starting the key at the same column.
        for number in line..<lines.count {
            let text = lines[number]
            guard let indent = text.firstIndex(where: { $0 != " " }), text[indent] != "#" else { continue }
            if indent < keyColumn || (indent == 0 && text.starts(with: Array("---"))) { return nil }
            if indent == keyColumn, startsKey(text, at: indent, spellings: spellings) { return (number + 1, indent + 1) }
        }
        return nil
    }

    /// Whether `key` (plain or quoted) followed by optional spaces and a colon begins at `start`.
    private static func startsKey(_ line: [Character], at start: Int, spellings: [[Character]]) -> Bool {
        for spelling in spellings where line[start...].starts(with: spelling) {
            var after = start + spelling.count
            while after < line.count, line[after] == " " { after += 1 }
            if after < line.count, line[after] == ":" { return true }
        }
        return false
    }
}
