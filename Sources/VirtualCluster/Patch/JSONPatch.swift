import Foundation
import KubeAPI

/// RFC 6902 JSON patch (`add`, `remove`, `replace`, `move`, `copy`, `test`) with RFC 6901 pointers.
/// A failed `test` or a missing path is an error, as on the real server.
enum JSONPatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        guard let operations = patch.arrayValue else {
            throw APIError.badRequest("the JSON patch must be an array of operations")
        }
        var document = target
        for (index, operation) in operations.enumerated() {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw APIError.badRequest("the JSON patch operation \(index) needs \"op\" and \"path\"")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                document = try insert(try value(of: operation, index), at: pointer, in: document, replacing: false)
            case "remove":
                document = try remove(at: pointer, in: document)
            case "replace":
                _ = try get(pointer, in: document)
                document = try insert(try value(of: operation, index), at: pointer, in: document, replacing: true)
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else {
                    throw APIError.badRequest("the JSON patch operation \(index) (\(op)) needs \"from\"")
                }
                let source = try parsePointer(from)
                let moved = try get(source, in: document)
                if op == "move" { document = try remove(at: source, in: document) }
                document = try insert(moved, at: pointer, in: document, replacing: false)
            case "test":
                let actual = try get(pointer, in: document)
                if actual != (try value(of: operation, index)) {
                    throw APIError(code: 422, reason: "Invalid",
                                   message: "the server rejected our request due to an error in our request: testing value \(path) failed")
                }
            default:
                throw APIError.badRequest("Unexpected kind: \(op)")
            }
        }
        return document
    }

    private static func value(of operation: JSONValue, _ index: Int) throws(APIError) -> JSONValue {
        guard let value = operation["value"] else { throw APIError.badRequest("the JSON patch operation \(index) needs \"value\"") }
        return value
    }

    static func parsePointer(_ path: String) throws(APIError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw APIError.badRequest("JSON pointer \"\(path)\" must start with /") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func missing(_ pointer: [String]) -> APIError {
        APIError(code: 422, reason: "Invalid",
                 message: "the server rejected our request due to an error in our request: doc is missing path: \"/\(pointer.joined(separator: "/"))\"")
    }

    static func get(_ pointer: [String], in document: JSONValue) throws(APIError) -> JSONValue {
        var current = document
        for token in pointer {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw missing(pointer) }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { throw missing(pointer) }
                current = elements[index]
            default:
                throw missing(pointer)
            }
        }
        return current
    }

    private static func insert(_ value: JSONValue, at pointer: [String], in document: JSONValue, replacing: Bool) throws(APIError) -> JSONValue {
        guard let token = pointer.first else { return value }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            if rest.isEmpty {
                members[token] = value
            } else {
                guard let child = members[token] else { throw missing(pointer) }
                members[token] = try insert(value, at: rest, in: child, replacing: replacing)
            }
            return .object(members)
        case .array(var elements):
            if rest.isEmpty {
                if token == "-" && !replacing { elements.append(value); return .array(elements) }
                guard let index = Int(token), index >= 0, index <= elements.count - (replacing ? 1 : 0) else { throw missing(pointer) }
                if replacing { elements[index] = value } else { elements.insert(value, at: index) }
                return .array(elements)
            }
            guard let index = Int(token), elements.indices.contains(index) else { throw missing(pointer) }
            elements[index] = try insert(value, at: rest, in: elements[index], replacing: replacing)
            return .array(elements)
        default:
            throw missing(pointer)
        }
    }

    private static func remove(at pointer: [String], in document: JSONValue) throws(APIError) -> JSONValue {
        guard let token = pointer.first else { throw missing(pointer) }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            guard let child = members[token] else { throw missing(pointer) }
            members[token] = rest.isEmpty ? nil : try remove(at: rest, in: child)
            return .object(members)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { throw missing(pointer) }
            if rest.isEmpty { elements.remove(at: index) } else { elements[index] = try remove(at: rest, in: elements[index]) }
            return .array(elements)
        default:
            throw missing(pointer)
        }
    }
}
