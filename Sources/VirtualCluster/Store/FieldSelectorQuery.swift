import Foundation
import KubeAPI

/// A `?fieldSelector=` string: `field=value`, `field==value`, `field!=value`, comma-joined (AND).
/// Only the fields the resource type declares selectable are accepted; others are a 400.
struct FieldSelectorQuery: Sendable, Hashable {
    struct Term: Sendable, Hashable {
        var path: [String]
        var value: String
        var negated: Bool
    }

    var terms: [Term]

    static let everything = FieldSelectorQuery(terms: [])

    private init(terms: [Term]) {
        self.terms = terms
    }

    init(parsing text: String, for type: ResourceType) throws(APIError) {
        terms = []
        for rawTerm in text.split(separator: ",") {
            let term = String(rawTerm)
            let negated: Bool
            let parts: [String]
            if let range = term.range(of: "!=") {
                negated = true
                parts = [String(term[..<range.lowerBound]), String(term[range.upperBound...])]
            } else if let range = term.range(of: "==") ?? term.range(of: "=") {
                negated = false
                parts = [String(term[..<range.lowerBound]), String(term[range.upperBound...])]
            } else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let field = parts[0].trimmingCharacters(in: .whitespaces)
            let path: [String]
            switch field {
            case "metadata.name": path = ["metadata", "name"]
            case "metadata.namespace": path = ["metadata", "namespace"]
            default:
                guard let declared = type.selectableFields[field] else {
                    throw APIError.badRequest("field label not supported: \(field)")
                }
                path = declared
            }
            terms.append(Term(path: path, value: parts[1].trimmingCharacters(in: .whitespaces), negated: negated))
        }
    }

    func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let actual: String
            switch object.value(at: term.path) {
            case .string(let text)?: actual = text
            case .bool(let flag)?: actual = flag ? "true" : "false"
            case .int(let number)?: actual = String(number)
            case nil, .null?: actual = ""
            case let other?: actual = other.jsonText
            }
            return term.negated ? actual != term.value : actual == term.value
        }
    }
}

/// What a list or watch selects: scope plus both selectors.
struct ObjectFilter: Sendable {
    var key: ResourceKey
    var namespace: String?
    var labels: LabelSelectorQuery = .everything
    var fields: FieldSelectorQuery = .everything

    func matches(_ object: JSONValue) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        // Without label requirements there is nothing to test, so skip collecting the labels.
        return (labels.requirements.isEmpty || labels.matches(object.labels)) && fields.matches(object)
    }
}
