/// apimachinery's `field.Error`: one problem with one field. Validators return every problem at once as
/// a list of these, and they print exactly as the API server words them, e.g.
/// `spec.nodes.max: Invalid value: 0: must be greater than or equal to spec.nodes.min (1)`, so users see
/// the same messages from `fleetcast validate` as from `kubectl apply`.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public var type: FieldErrorType
    public var field: FieldPath
    /// The offending value, printed for `Invalid value`, `Unsupported value` and `Duplicate value`.
    public var value: JSONValue?
    public var detail: String

    public init(type: FieldErrorType, field: FieldPath, value: JSONValue? = nil, detail: String = "") {
        self.type = type
        self.field = field
        self.value = value
        self.detail = detail
    }

    public static func required(_ field: FieldPath, _ detail: String = "") -> FieldError {
        FieldError(type: .required, field: field, detail: detail)
    }

    public static func invalid(_ field: FieldPath, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(type: .invalid, field: field, value: value, detail: detail)
    }

    /// `Unsupported value: "Foo": supported values: "Active", "ForecastOnly"`.
    public static func notSupported(_ field: FieldPath, _ value: JSONValue, supported: [String]) -> FieldError {
        let list = supported.map { GoSyntax.quote($0) }.joined(separator: ", ")
        return FieldError(type: .notSupported, field: field, value: value, detail: "supported values: \(list)")
    }

    public static func duplicate(_ field: FieldPath, _ value: JSONValue) -> FieldError {
        FieldError(type: .duplicate, field: field, value: value)
    }

    public static func forbidden(_ field: FieldPath, _ detail: String) -> FieldError {
        FieldError(type: .forbidden, field: field, detail: detail)
    }

    /// A field the schema does not declare (strict decoding, like `kubectl --validate=strict`).
    public static func unknown(_ field: FieldPath) -> FieldError {
        FieldError(type: .unknownField, field: field, detail: "")
    }

    /// The message without the field path (Go's `ErrorBody`).
    public var body: String {
        var text = type.phrase
        if type.printsValue, let value {
            text += ": " + GoSyntax.render(value)
        }
        if !detail.isEmpty {
            text += ": " + detail
        }
        return text
    }

    public var description: String { "\(field): \(body)" }

    /// The cause as it appears in a 422 `Status` response.
    public var statusCause: StatusCause {
        StatusCause(reason: type.rawValue, message: body, field: field.description)
    }
}

/// apimachinery's `field.ErrorType`; raw values are the `StatusCause.reason` strings.
public enum FieldErrorType: String, Sendable, Hashable, CaseIterable {
    case required = "FieldValueRequired"
    case invalid = "FieldValueInvalid"
    case notSupported = "FieldValueNotSupported"
    case duplicate = "FieldValueDuplicate"
    case forbidden = "FieldValueForbidden"
    case tooMany = "FieldValueTooMany"
    case tooLong = "FieldValueTooLong"
    case typeInvalid = "FieldValueTypeInvalid"
    case unknownField = "FieldValueUnknown"

    /// The phrase the API server prints (`field.ErrorType.String()`).
    public var phrase: String {
        switch self {
        case .required: "Required value"
        case .invalid, .typeInvalid: "Invalid value"
        case .notSupported: "Unsupported value"
        case .duplicate: "Duplicate value"
        case .forbidden: "Forbidden"
        case .tooMany: "Too many"
        case .tooLong: "Too long"
        case .unknownField: "Unknown field"
        }
    }

    var printsValue: Bool {
        switch self {
        case .invalid, .typeInvalid, .notSupported, .duplicate: true
        case .required, .forbidden, .tooMany, .tooLong, .unknownField: false
        }
    }
}

/// Values printed the way Go's `%#v`/`%q` print them in field errors: strings quoted, numbers bare.
/// Public so validators word their details the same way (`spec.nodes.min (1)`, `hourlyCost (32.77)`).
public enum GoSyntax {
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    public static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return formatDouble(number)
        case .string(let text): return quote(text)
        case .array(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .object(let members):
            let inner = members.sorted { $0.key < $1.key }.map { "\($0.key):\(render($0.value))" }
            return "map[" + inner.joined(separator: " ") + "]"
        }
    }

    /// `0.5`, `32.77`, `2` (Go prints whole floats without a decimal point).
    public static func formatDouble(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(number)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
