import FleetcastAPI
import Foundation
import KubeAPI

/// One writer per target. Two pools whose targets resolve to the same object would each set its
/// replicas to their own plan and flap it; the older pool (creation time, then namespace/name) keeps
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
        var nodeSelector: LabelSelector?

        var pool: String { "\(namespace)/\(name)" }

        /// Older first: creation time, then namespace/name.
        func isOlder(than other: Claim) -> Bool {
            (created, namespace, name) < (other.created, other.namespace, other.name)
        }
    }

    static func claim(of pool: GPUPool) -> Claim {
        let target = pool.spec.target
        let group = target.apiVersion.contains("/") ? String(target.apiVersion.split(separator: "/")[0]) : ""
        let namespace = pool.metadata.namespace ?? ""
        return Claim(namespace: namespace, name: pool.metadata.name ?? "", created: pool.metadata.creationTimestamp ?? "",
                     target: "\(group)/\(target.kind) \(target.namespace(forPoolIn: namespace))/\(target.name)",
                     nodeSelector: pool.spec.nodes.selector)
    }

    /// - Parameter decode: `PoolDecoding.decode`, or a cache of it (`PoolDecodingCache`).
    static func claims(from objects: [JSONValue], decode: (JSONValue) -> PoolDecoding.Result = PoolDecoding.decode) -> [Claim] {
        objects.compactMap { object in
            guard case .valid(let pool) = decode(object) else { return nil }
            return claim(of: pool)
        }
    }

    /// The pool that keeps `pool`'s target when it is not `pool` itself.
    static func owner(of pool: Claim, among others: [Claim]) -> Claim? {
        others.filter { $0.target == pool.target && $0.pool != pool.pool && $0.isOlder(than: pool) }
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
