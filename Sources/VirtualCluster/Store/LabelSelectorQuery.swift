import Foundation

/// A `?labelSelector=` string parsed into requirements (apimachinery `labels.Parse` syntax):
/// `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>N`, `k<N`, comma-joined.
struct LabelSelectorQuery: Sendable, Hashable {
    enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
        case greaterThan(String, Int64)
        case lessThan(String, Int64)

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let key, let value): return labels[key] == value
            case .notEquals(let key, let value): return labels[key] != value
            case .in(let key, let values): return labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): return labels[key].map { !values.contains($0) } ?? true
            case .exists(let key): return labels[key] != nil
            case .doesNotExist(let key): return labels[key] == nil
            case .greaterThan(let key, let bound): return labels[key].flatMap { Int64($0) }.map { $0 > bound } ?? false
            case .lessThan(let key, let bound): return labels[key].flatMap { Int64($0) }.map { $0 < bound } ?? false
            }
        }
    }

    var requirements: [Requirement]

    static let everything = LabelSelectorQuery(requirements: [])

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// Parses the selector; throws a 400 naming the offending term.
    init(parsing text: String) throws(APIError) {
        requirements = []
        for term in Self.splitTerms(text) {
            let trimmed = term.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            requirements.append(try Self.parseTerm(trimmed, in: text))
        }
    }

    private init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Splits on commas outside parentheses.
    private static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1; current.append(character)
            case ")": depth -= 1; current.append(character)
            case "," where depth == 0: terms.append(current); current = ""
            default: current.append(character)
            }
        }
        terms.append(current)
        return terms
    }

    private static func parseTerm(_ term: String, in selector: String) throws(APIError) -> Requirement {
        let invalid = APIError.badRequest("unable to parse requirement: found '\(term)', expected: valid label selector in \"\(selector)\"")
        if term.hasPrefix("!") {
            let key = term.dropFirst().trimmingCharacters(in: .whitespaces)
            guard isValidKey(key) else { throw invalid }
            return .doesNotExist(key)
        }
        for (symbol, build) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let range = term.range(of: symbol) {
                let key = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let value = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard isValidKey(key), isValidValue(value) else { throw invalid }
                return build(key, value)
            }
        }
        for (symbol, build) in [(">", Requirement.greaterThan), ("<", Requirement.lessThan)] {
            if let range = term.range(of: symbol) {
                let key = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                guard isValidKey(key), let bound = Int64(term[range.upperBound...].trimmingCharacters(in: .whitespaces)) else { throw invalid }
                return build(key, bound)
            }
        }
        let words = term.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2, let open = words[1].firstIndex(of: "("), words[1].hasSuffix(")") {
            let key = words[0]
            let operatorWord = words[1][..<open].trimmingCharacters(in: .whitespaces)
            let inner = words[1][words[1].index(after: open)..<words[1].index(before: words[1].endIndex)]
            let values = Set(inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) })
            guard isValidKey(key), values.allSatisfy(isValidValue) else { throw invalid }
            switch operatorWord {
            case "in": return .in(key, values)
            case "notin": return .notIn(key, values)
            default: throw invalid
            }
        }
        guard words.count == 1, isValidKey(term) else { throw invalid }
        return .exists(term)
    }

    private static func isValidKey(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let name = parts.last, !name.isEmpty, name.count <= 63 else { return false }
        return key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
    }

    private static func isValidValue(_ value: String) -> Bool {
        value.count <= 63 && value.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
    }
}
