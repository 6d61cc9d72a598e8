import FleetcastAPI
import Foundation
import KubeAPI

/// One writer per target. Two pools whose targets (or standby targets) resolve to the same object
/// would each set its replicas to their own plan and flap it; the older pool (creation time, then namespace/name) keeps
/// the target, the newer one reports `Ready=False, TargetConflict` and does not actuate. Pools whose
/// node selectors select a common node count the same nodes twice; they are warned about. Pure.
enum TargetOwnership {
    /// What a pool claims, read leniently from the stored object (an invalid pool claims nothing).
    struct Claim: Sendable, Hashable {
        var namespace: String
        var name: String
        var created: String
        /// `group/Kind namespace/name` of the target (its own namespace, `spec.target.namespace` or the
        /// pool's): the object, whatever API version names it.
        var target: String
        /// The same for `spec.warmPool.standby.target`, when the pool has a standby tier.
        var standbyTarget: String? = nil
        var nodeSelector: LabelSelector?

        /// Every object the pool writes replicas to.
        var targets: Set<String> { Set([target] + (standbyTarget.map { [$0] } ?? [])) }

        var pool: String { "\(namespace)/\(name)" }

        /// Older first: creation time, then namespace/name.
        func isOlder(than other: Claim) -> Bool {
            (created, namespace, name) < (other.created, other.namespace, other.name)
        }
    }

    static func claim(of pool: GPUPool) -> Claim {
        let namespace = pool.metadata.namespace ?? ""
        return Claim(namespace: namespace, name: pool.metadata.name ?? "", created: pool.metadata.creationTimestamp ?? "",
                     target: identity(of: pool.spec.target, poolNamespace: namespace),
                     standbyTarget: pool.spec.warmPool?.standby.map { identity(of: $0.target, poolNamespace: namespace) },
                     nodeSelector: pool.spec.nodes.selector)
    }

    /// `group/Kind namespace/name` of a target.
    static func identity(of target: ScaleTargetSpec, poolNamespace: String) -> String {
        let group = target.apiVersion.contains("/") ? String(target.apiVersion.split(separator: "/")[0]) : ""
        return "\(group)/\(target.kind) \(target.namespace(forPoolIn: poolNamespace))/\(target.name)"
    }

    /// - Parameter decode: `PoolDecoding.decode`, or a cache of it (`PoolDecodingCache`).
    static func claims(from objects: [JSONValue], decode: (JSONValue) -> PoolDecoding.Result = PoolDecoding.decode) -> [Claim] {
        objects.compactMap { object in
            guard case .valid(let pool) = decode(object) else { return nil }
            return claim(of: pool)
        }
    }

    /// The pool that keeps `pool`'s target when it is not `pool` itself: an older pool that writes
    /// the same object, as its target or as its standby target.
    static func owner(of pool: Claim, among others: [Claim]) -> Claim? {
        owner(of: pool.target, claimedBy: pool, among: others)
    }

    /// The same for the pool's standby target; nil without one.
    static func standbyOwner(of pool: Claim, among others: [Claim]) -> Claim? {
        pool.standbyTarget.flatMap { owner(of: $0, claimedBy: pool, among: others) }
    }

    private static func owner(of target: String, claimedBy pool: Claim, among others: [Claim]) -> Claim? {
        others.filter { $0.targets.contains(target) && $0.pool != pool.pool && $0.isOlder(than: pool) }
            .min { $0.isOlder(than: $1) }
    }

    /// Other pools whose node selector selects one of the nodes `pool` selects.
    static func overlapping(_ pool: Claim, among others: [Claim], poolNodes: [KubeNode]) -> [Claim] {
        others.filter { other in
            guard other.pool != pool.pool, let selector = other.nodeSelector else { return false }
            return poolNodes.contains { selector.matches($0.metadata.labels ?? [:]) }
        }.sorted { $0.pool < $1.pool }
    }
}
