import KubeAPI

/// apimachinery's protobuf envelope: the magic `k8s\0`, then a `runtime.Unknown` whose `typeMeta`
/// names the object's apiVersion and kind and whose `raw` holds the object's own message. Objects
/// cross it as JSON, so the store and every route keep working on JSON; the conversion happens
/// here, at the edge.
enum ProtobufEnvelope {
    static let mediaType = "application/vnd.kubernetes.protobuf"
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    struct Unwrapped: Sendable {
        var apiVersion: String
        var kind: String
        var raw: [UInt8]
    }

    /// The envelope's type and payload, or the error apimachinery's serializer gives.
    static func unwrap(_ body: [UInt8]) throws(ProtobufDecodingError) -> Unwrapped {
        guard !body.isEmpty else { throw ProtobufDecodingError(message: "empty data") }
        guard body.count >= magic.count, Array(body[0..<magic.count]) == magic else {
            throw ProtobufDecodingError(message: "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
        guard body.count > magic.count else { throw ProtobufDecodingError(message: "empty body") }
        var reader = ProtobufWireReader(body, from: magic.count)
        var unwrapped = Unwrapped(apiVersion: "", kind: "", raw: [])
        while !reader.isAtEnd {
            let (number, wireType) = try reader.tag()
            switch (number, wireType) {
            case (1, .lengthDelimited):
                var typeMeta = reader.sub(try reader.lengthDelimited())
                while !typeMeta.isAtEnd {
                    let (inner, innerWireType) = try typeMeta.tag()
                    switch (inner, innerWireType) {
                    case (1, .lengthDelimited): unwrapped.apiVersion = try typeMeta.string(try typeMeta.lengthDelimited())
                    case (2, .lengthDelimited): unwrapped.kind = try typeMeta.string(try typeMeta.lengthDelimited())
                    default: try typeMeta.skip(innerWireType, number: inner)
                    }
                }
            case (2, .lengthDelimited):
                unwrapped.raw = Array(body[try reader.lengthDelimited()])
            case (3, .lengthDelimited), (4, .lengthDelimited):
                let value = try reader.string(try reader.lengthDelimited())
                if !value.isEmpty {
                    throw ProtobufDecodingError(message: "content \(number == 3 ? "encoding" : "type") \"\(value)\" inside the envelope is not supported")
                }
            case (1...4, _):
                throw ProtobufDecodingError(message: "wrong wire type \(wireType.rawValue) for field \(number) of runtime.Unknown")
            default:
                try reader.skip(wireType, number: number)
            }
        }
        return unwrapped
    }

    static func wrap(apiVersion: String, kind: String, raw: ProtobufWriter) -> [UInt8] {
        var typeMeta = ProtobufWriter()
        typeMeta.string(1, apiVersion)
        typeMeta.string(2, kind)
        var unknown = ProtobufWriter(reservingCapacity: raw.bytes.count + 64)
        unknown.append(raw: magic)
        unknown.message(1, typeMeta)
        unknown.lengthDelimited(2, raw.bytes)
        unknown.string(3, "")
        unknown.string(4, "")
        return unknown.bytes
    }

    /// A request body as the JSON object the routes take: apiVersion and kind from the envelope, the
    /// rest read from `raw` by the schema of that kind.
    static func decodeObject(_ body: [UInt8], expecting expectedKind: String,
                             schema: ProtobufSchema = .builtin) throws(APIError) -> JSONValue {
        let unwrapped: Unwrapped
        do {
            unwrapped = try unwrap(body)
        } catch {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(expectedKind)): \(error)")
        }
        guard let message = schema.message(apiVersion: unwrapped.apiVersion, kind: unwrapped.kind) else {
            let version = unwrapped.apiVersion.split(separator: "/").last.map(String.init) ?? unwrapped.apiVersion
            throw APIError.badRequest("no kind \"\(unwrapped.kind)\" is registered for version \"\(unwrapped.apiVersion)\"" +
                                      (unwrapped.kind.isEmpty ? " (version \"\(version)\", object has no kind)" : ""))
        }
        var object: JSONValue
        do {
            object = try ProtobufObjectReader(schema: schema).read(unwrapped.raw, as: message)
        } catch {
            let version = unwrapped.apiVersion.split(separator: "/").last.map(String.init) ?? unwrapped.apiVersion
            throw APIError.badRequest("\(unwrapped.kind) in version \"\(version)\" cannot be handled as a \(expectedKind): \(error)")
        }
        if case .object(var members) = object {
            members["apiVersion"] = .string(unwrapped.apiVersion)
            members["kind"] = .string(unwrapped.kind)
            object = .object(members)
        }
        return object
    }

    /// A JSON answer as protobuf, when its kind is built in; `nil` leaves it JSON.
    static func encode(_ object: JSONValue, schema: ProtobufSchema = .builtin) -> [UInt8]? {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue,
              let message = schema.message(apiVersion: apiVersion, kind: kind) ?? statusMessage(kind, schema) else { return nil }
        return wrap(apiVersion: apiVersion, kind: kind, raw: ProtobufObjectWriter(schema: schema).write(object, as: message))
    }

    /// `Status` answers say `apiVersion: v1` but the message lives in meta/v1.
    private static func statusMessage(_ kind: String, _ schema: ProtobufSchema) -> ProtobufSchema.Message? {
        guard kind == "Status", let meta = schema.packages["meta.k8s.io/v1"] else { return nil }
        return schema.messages["\(meta).Status"]
    }
}
