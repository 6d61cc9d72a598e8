import FleetcastAPI
import Foundation
import KubeAPI

/// The parts of a GPUPool that can be read even when its spec cannot.
struct PoolHeader: Sendable, Hashable, Decodable {
    var metadata: ObjectMeta
    var status: GPUPoolStatus?

    private enum CodingKeys: String, CodingKey { case metadata, status }

    init(metadata: ObjectMeta, status: GPUPoolStatus?) {
        self.metadata = metadata
        self.status = status
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = (try? container.decode(ObjectMeta.self, forKey: .metadata)) ?? ObjectMeta()
        status = try? container.decodeIfPresent(GPUPoolStatus.self, forKey: .status)
    }
}

/// Turns a stored pool into a `GPUPool` that passed validation, or into the message an
/// `InvalidSpec` condition carries: the field path and what is wrong with it.
enum PoolDecoding {
    enum Result: Sendable {
        case valid(GPUPool)
        case invalid(PoolHeader, message: String)
    }

    static func decode(_ raw: JSONValue) -> Result {
        let data: Data
        do {
            data = try JSONEncoder().encode(raw)
        } catch {
            return .invalid(PoolHeader(metadata: ObjectMeta(), status: nil), message: "cannot re-encode the object: \(error)")
        }
        let header = (try? JSONDecoder().decode(PoolHeader.self, from: data)) ?? PoolHeader(metadata: ObjectMeta(), status: nil)
        let pool: GPUPool
        do {
            pool = try JSONDecoder().decode(GPUPool.self, from: data)
        } catch let error as DecodingError {
            return .invalid(header, message: describe(error))
        } catch {
            return .invalid(header, message: "\(error)")
        }
        let problems = pool.validate()
        guard problems.isEmpty else {
            return .invalid(header, message: problems.map(\.description).joined(separator: "; "))
        }
        return .valid(pool)
    }

    /// `spec.nodes.max: Required value` in the API server's words, from a decoding error's path.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { text, key in
                if let index = key.intValue { return "\(text)[\(index)]" }
                return text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): Required value"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): Invalid value: expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): Required value: expected \(type)"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): Invalid value: \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
