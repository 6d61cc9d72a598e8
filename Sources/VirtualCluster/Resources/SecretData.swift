import Foundation
import KubeAPI

/// What the real server does to a Secret on every write (kube-api-semantics.md; core/v1 conversion
/// and defaults): `stringData` is folded into `data` as base64 and dropped, so it is never stored or
/// returned; `type` defaults to `Opaque`; `data` values must be base64.
enum SecretData {
    static let key = ResourceKey(group: "", resource: "secrets")

    static func normalized(_ secret: JSONValue) throws(APIError) -> JSONValue {
        var object = secret
        var data = object["data"]?.objectValue ?? [:]
        var errors: [FieldError] = []
        for (name, value) in data.sorted(by: { $0.key < $1.key }) {
            guard let text = value.stringValue, Data(base64Encoded: text) != nil else {
                errors.append(.invalid("data[\(name)]", value, "must be a base64-encoded string"))
                continue
            }
            data[name] = .string(text)
        }
        if let stringData = object["stringData"]?.objectValue {
            for (name, value) in stringData {
                guard let text = value.stringValue else {
                    errors.append(.invalid("stringData[\(name)]", value, "must be a string"))
                    continue
                }
                data[name] = .string(Data(text.utf8).base64EncodedString())
            }
            object.setValue(nil, at: ["stringData"])
        }
        if !errors.isEmpty {
            throw APIError.invalid(kind: "Secret", group: "", name: object.name ?? "", errors: errors)
        }
        object.setValue(data.isEmpty ? nil : .object(data), at: ["data"])
        if (object["type"]?.stringValue ?? "").isEmpty { object.setValue(.string("Opaque"), at: ["type"]) }
        return object
    }
}
