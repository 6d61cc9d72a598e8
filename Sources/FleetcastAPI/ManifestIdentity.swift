/// Whether a document's `apiVersion` and `kind` say it is meant to be a Fleetcast resource, even when
/// they are misspelt. `fleetcast validate` checks such documents and reports the misspelling instead of
/// skipping them as "another kind": a `kind: GpuPool` or an `apiVersion: fleetcast.dev/v1alpha` that
/// passed would only be refused later, by the API server or the operator.
struct ManifestIdentity: Sendable, Hashable {
    var apiVersion: String
    var kind: String

    /// The group part of `apiVersion` (empty for the core group, `v1`).
    var group: String {
        apiVersion.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    }

    /// True for anything in a group that names Fleetcast (`fleetcast.dev`, `fleetcast.io`, `fleetcast`…),
    /// and for a GPUPool by any capitalisation in any group.
    var isMeantForFleetcast: Bool {
        let group = group.lowercased()
        if group == GPUPool.group || group.split(separator: ".").first == "fleetcast" { return true }
        if apiVersion.lowercased().hasPrefix("fleetcast") { return true }
        return kind.lowercased() == GPUPool.kind.lowercased()
    }
}
