import KubeAPI

/// `FieldError` constructors taking an already rendered path (`spec.containers[0].name`): schema
/// validation builds paths as text while it walks JSON, and only ever prints them.
extension FieldError {
    static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        .invalid(FieldPath(field), value, detail)
    }

    static func required(_ field: String, _ detail: String = "") -> FieldError {
        .required(FieldPath(field), detail)
    }

    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        .forbidden(FieldPath(field), detail)
    }

    static func notSupported(_ field: String, _ value: JSONValue, supported: [String]) -> FieldError {
        .notSupported(FieldPath(field), value, supported: supported)
    }

    static func duplicate(_ field: String, _ value: JSONValue) -> FieldError {
        .duplicate(FieldPath(field), value)
    }

    static func tooMany(_ field: String, _ detail: String) -> FieldError {
        FieldError(type: .tooMany, field: FieldPath(field), detail: detail)
    }

    static func tooLong(_ field: String, _ detail: String) -> FieldError {
        FieldError(type: .tooLong, field: FieldPath(field), detail: detail)
    }
}
