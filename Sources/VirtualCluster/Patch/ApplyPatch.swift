import Foundation
import KubeAPI
import Synchronization
import Yams

/// Server-side apply, simplified: the server remembers each field manager's last applied intent per
/// object. A new apply merges the intent into the live object (merge patch for custom resources,
/// strategic merge for built-ins) and removes the fields that manager applied before but omits now.
/// There is no per-field ownership: applies never conflict and `force` changes nothing
/// (documented in docs/virtual-cluster.md).
final class ApplyIntents: Sendable {
    private let intents = Mutex<[String: JSONValue]>([:])

    private static func id(_ key: ResourceKey, _ namespace: String, _ name: String, _ manager: String) -> String {
        "\(key)/\(namespace)/\(name)/\(manager)"
    }

    func previous(_ key: ResourceKey, namespace: String, name: String, manager: String) -> JSONValue? {
        intents.withLock { $0[Self.id(key, namespace, name, manager)] }
    }

    func remember(_ intent: JSONValue, _ key: ResourceKey, namespace: String, name: String, manager: String) {
        intents.withLock { $0[Self.id(key, namespace, name, manager)] = intent }
    }

    func forget(_ key: ResourceKey, namespace: String, name: String) {
        let prefix = "\(key)/\(namespace)/\(name)/"
        intents.withLock { intents in
            for id in intents.keys where id.hasPrefix(prefix) { intents[id] = nil }
        }
    }
}

enum ApplyPatch {
    /// Parses an apply body (YAML or JSON; kubectl sends JSON).
    static func parse(_ body: Data) throws(APIError) -> JSONValue {
        guard let text = String(data: body, encoding: .utf8) else { throw APIError.badRequest("the apply body is not UTF-8") }
        do {
            return try YAMLDecoder().decode(JSONValue.self, from: text)
        } catch {
            throw APIError.badRequest("error decoding YAML: \(describe(error))")
        }
    }

    /// The patch that applies `intent` over the live object, given the manager's previous intent.
    static func patch(intent: JSONValue, previous: JSONValue?) -> JSONValue {
        guard let previous else { return intent }
        return adding(removals(from: previous, keeping: intent), to: intent)
    }

    /// `intent` with the `null` markers of `removals` added at their places.
    private static func adding(_ removals: JSONValue, to intent: JSONValue) -> JSONValue {
        guard case .object(let markers) = removals, case .object(var members) = intent else { return intent }
        for (key, marker) in markers {
            if case .null = marker {
                members[key] = .null
            } else if let existing = members[key] {
                members[key] = adding(marker, to: existing)
            }
        }
        return .object(members)
    }

    /// `null` for every member present in `previous` but absent from `current`, recursively.
    private static func removals(from previous: JSONValue, keeping current: JSONValue) -> JSONValue {
        guard case .object(let old) = previous, case .object(let new) = current else { return .object([:]) }
        var result: [String: JSONValue] = [:]
        for (key, value) in old {
            if let kept = new[key] {
                if case .object = value, case .object = kept {
                    let nested = removals(from: value, keeping: kept)
                    if nested.objectValue?.isEmpty == false { result[key] = nested }
                }
            } else if key != "apiVersion" && key != "kind" {
                result[key] = .null
            }
        }
        return .object(result)
    }

    /// Checks the apply options as the real server does (`fieldManager` required).
    static func validateOptions(fieldManager: String?) throws(APIError) {
        guard let fieldManager, !fieldManager.isEmpty else {
            throw APIError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "",
                                   errors: [.required("fieldManager", "is required for apply patch")])
        }
    }
}
