/// The wire schema of the built-in kinds, read from the generated `ProtobufSchemaTable` (one line per
/// message and field, generated from the upstream `generated.proto` files by
/// `hack/protobuf/generate-schema.py`). One generic reader and writer walk it instead of per-kind
/// generated types, so adding a kind needs no code.
struct ProtobufSchema: Sendable {
    /// How a message renders in JSON: as an object of its fields, or as one of apimachinery's
    /// hand-written JSON shapes.
    enum Shape: String, Sendable {
        case object, quantity, time, microtime, duration, intorstring, rawextension, fieldsv1
        /// A wrapper whose only field is `repeated items` and whose JSON is that array (`ExtraValue`).
        case list
    }

    enum Scalar: String, Sendable {
        case string, bytes, bool, int32, int64, uint32, uint64, double, float
    }

    enum ValueType: Sendable, Hashable {
        case scalar(Scalar)
        /// A message, by its full name.
        case message(String)
    }

    enum Cardinality: Sendable, Hashable {
        case single, repeated
        /// `map<key, value>`: entries on the wire are messages with `key = 1` and `value = 2`.
        case map(key: Scalar)
    }

    struct Field: Sendable {
        var number: Int
        var name: String
        var cardinality: Cardinality
        var type: ValueType
        /// Whether a zero value is still rendered (Go pointers and fields without `omitempty`).
        var keepsZero: Bool
        /// A message Go embeds (`json:",inline"`, e.g. `Probe.handler`): its members are the parent's.
        var isInline: Bool = false
    }

    struct Message: Sendable {
        var name: String
        var shape: Shape
        var fields: [Field]
        var fieldsByNumber: [Int: Int] = [:]
        var fieldsByName: [String: Int] = [:]

        func field(number: Int) -> Field? { fieldsByNumber[number].map { fields[$0] } }
        func field(named name: String) -> Field? { fieldsByName[name].map { fields[$0] } }
    }

    private(set) var messages: [String: Message] = [:]
    /// Proto package per API group (`apps` → `k8s.io.api.apps.v1`), keyed by `group/version`.
    private(set) var packages: [String: String] = [:]

    /// The schema every request uses, parsed once.
    static let builtin = ProtobufSchema(table: ProtobufSchemaTable.text)

    init(table: String) {
        var parsed: [Message] = []
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: "\t").map(String.init)
            switch parts.first {
            case "M" where parts.count == 3:
                parsed.append(Message(name: parts[1], shape: Shape(rawValue: parts[2]) ?? .object, fields: []))
            case "F" where parts.count == 6:
                guard let number = Int(parts[1]), let type = Self.valueType(parts[4]) else { continue }
                let cardinality: Cardinality
                if parts[3] == "*" {
                    cardinality = .repeated
                } else if parts[3].hasPrefix("m:"), let key = Scalar(rawValue: String(parts[3].dropFirst(2))) {
                    cardinality = .map(key: key)
                } else {
                    cardinality = .single
                }
                guard !parsed.isEmpty else { continue }
                parsed[parsed.count - 1].fields.append(Field(number: number, name: parts[2], cardinality: cardinality, type: type,
                                                             keepsZero: parts[5] == "keep", isInline: parts[5] == "inline"))
            case "G" where parts.count == 3:
                let group = parts[2] == "-" ? "" : parts[2]
                let version = parts[1].split(separator: ".").last.map(String.init) ?? ""
                packages[group.isEmpty ? version : "\(group)/\(version)"] = parts[1]
            default:
                continue
            }
        }
        for var message in parsed {
            message.fields.sort { $0.number < $1.number }
            for (index, field) in message.fields.enumerated() {
                message.fieldsByNumber[field.number] = index
                message.fieldsByName[field.name] = index
            }
            messages[message.name] = message
        }
    }

    private static func valueType(_ text: String) -> ValueType? {
        if text.hasPrefix(".") { return .message(String(text.dropFirst())) }
        return Scalar(rawValue: text).map(ValueType.scalar)
    }

    /// The message of a kind in an `apiVersion` (`apps/v1`, `Deployment`), if it is built in.
    /// Options kinds (`DeleteOptions`) live in meta/v1 whatever group the client names.
    func message(apiVersion: String, kind: String) -> Message? {
        if let package = packages[apiVersion], let message = messages["\(package).\(kind)"] { return message }
        guard let meta = packages["meta.k8s.io/v1"] else { return nil }
        return kind.hasSuffix("Options") ? messages["\(meta).\(kind)"] : nil
    }
}
