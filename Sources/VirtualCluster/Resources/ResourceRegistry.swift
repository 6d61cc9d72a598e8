import KubeAPI
import Synchronization

/// The resource types served right now: the built-ins plus one per established CRD. Read on every
/// request, replaced whenever a CRD is written.
final class ResourceRegistry: Sendable {
    private let custom = Mutex<[ResourceKey: ResourceType]>([:])
    private let builtins: [ResourceKey: ResourceType]

    init() {
        builtins = Dictionary(uniqueKeysWithValues: BuiltinResources.all.map { ($0.key, $0) })
    }

    /// Every served type, built-ins first, in a stable order.
    var all: [ResourceType] {
        let customTypes = custom.withLock { Array($0.values) }.sorted { ($0.group, $0.plural) < ($1.group, $1.plural) }
        return BuiltinResources.all + customTypes
    }

    func type(for key: ResourceKey) -> ResourceType? {
        builtins[key] ?? custom.withLock { $0[key] }
    }

    /// The type served at `group/version` under `plural`, if that version is served.
    func type(group: String, version: String, plural: String) -> ResourceType? {
        guard let type = type(for: ResourceKey(group: group, resource: plural)), type.versions.contains(version) else { return nil }
        return type
    }

    /// Served group-versions in discovery order (preferred version first within a group).
    var groups: [(group: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for type in all {
            if versions[type.group] == nil { order.append(type.group) }
            for version in type.versions where !(versions[type.group] ?? []).contains(version) {
                versions[type.group, default: []].append(version)
            }
        }
        return order.map { ($0, (versions[$0] ?? []).sorted(by: KubeVersionOrder.isMorePreferred)) }
    }

    /// Installs or replaces the type served by a CRD (`nil` type removes it).
    func setCustomType(_ type: ResourceType?, for key: ResourceKey) {
        guard builtins[key] == nil else { return }
        custom.withLock { $0[key] = type }
    }
}
