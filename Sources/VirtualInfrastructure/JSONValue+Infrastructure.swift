import Foundation
import KubeAPI

extension JSONValue {
    /// The value at a path of object keys, if every step exists.
    func at(_ path: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    var integer: Int? {
        switch self {
        case .int(let value): return Int(value)
        case .double(let value): return Int(value)
        case .string(let text): return Int(text)
        default: return nil
        }
    }

    var stringMap: [String: String] {
        (objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    var objectName: String { at("metadata", "name")?.stringValue ?? "" }
    var objectNamespace: String { at("metadata", "namespace")?.stringValue ?? "" }
    var objectUID: String { at("metadata", "uid")?.stringValue ?? "" }
    var objectLabels: [String: String] { at("metadata", "labels")?.stringMap ?? [:] }
    var objectAnnotations: [String: String] { at("metadata", "annotations")?.stringMap ?? [:] }
}

/// RFC 3339 timestamps with whole seconds, as the API server writes them.
enum Timestamp {
    static func rfc3339(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1,
                      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// An RFC 3339 timestamp as the API server writes it (`2027-01-15T08:00:00Z`, fractions allowed).
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

extension JSONValue {
    /// Metadata without `resourceVersion`, so a write carries no precondition: controllers
    /// recompute status every step and must not fail because a user touched the object meanwhile.
    var removingResourceVersion: JSONValue {
        guard var members = objectValue else { return self }
        members["resourceVersion"] = nil
        return .object(members)
    }
}
