import Foundation
import KubeAPI

/// One event of a watch stream, typed. `ERROR` events never appear here: they end the stream with the
/// `KubeError` their Status describes (410 Expired → `.gone`).
public enum WatchEvent<Object: Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// Progress marker: the stream has seen everything up to this resourceVersion.
    case bookmark(resourceVersion: String)

    /// The object, for the three change events.
    public var object: Object? {
        switch self {
        case .added(let o), .modified(let o), .deleted(let o): o
        case .bookmark: nil
        }
    }
}

extension WatchEvent: Equatable where Object: Equatable {}

/// Decodes one watch line `{"type":…,"object":{…}}`.
enum WatchEventDecoder {
    private struct Envelope<T: Decodable>: Decodable {
        var type: String
        var object: T
    }

    private struct TypeOnly: Decodable {
        var type: String
    }

    private struct BookmarkObject: Decodable {
        struct Meta: Decodable { var resourceVersion: String? }
        var metadata: Meta?
    }

    /// Reads the event type without a full parse when the line starts the way the API server writes it,
    /// `{"type":"ADDED",…`; nil (so the caller parses properly) for any other layout.
    static func leadingType(of line: Data) -> String? {
        let prefix = Array(#"{"type":""#.utf8)
        guard line.count > prefix.count + 1, line.starts(with: prefix) else { return nil }
        let start = line.startIndex + prefix.count
        guard let end = line[start...].prefix(16).firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: line[start..<end], as: UTF8.self)
    }

    static func decode<Object: Decodable & Sendable>(_ line: Data, as type: Object.Type, decoder: KubeJSONDecoder) throws(KubeError) -> WatchEvent<Object> {
        let kind: String
        do {
            kind = try leadingType(of: line) ?? decoder.decode(TypeOnly.self, from: line).type
        } catch {
            throw .decoding("watch event is not {\"type\",\"object\"}: \(error) in \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        do {
            switch kind {
            case "ADDED": return .added(try decoder.decode(Envelope<Object>.self, from: line).object)
            case "MODIFIED": return .modified(try decoder.decode(Envelope<Object>.self, from: line).object)
            case "DELETED": return .deleted(try decoder.decode(Envelope<Object>.self, from: line).object)
            case "BOOKMARK":
                let object = try decoder.decode(Envelope<BookmarkObject>.self, from: line).object
                return .bookmark(resourceVersion: object.metadata?.resourceVersion ?? "")
            case "ERROR":
                let status = try decoder.decode(Envelope<Status>.self, from: line).object
                throw KubeError(watchStatus: status)
            default:
                throw KubeError.decoding("unknown watch event type \"\(kind)\"")
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw .decoding("watch \(kind) event: \(error)")
        }
    }
}
