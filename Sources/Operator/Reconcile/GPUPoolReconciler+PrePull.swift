import FleetcastAPI
import Foundation
import KubeAPI

extension GPUPoolReconciler {
    /// Keeps the pool's pre-pull DaemonSet (`PrePullDaemonSet`) what `spec.warmPool.prePull` asks:
    /// present with the images while there are some and the pool is Active, gone otherwise (a
    /// ForecastOnly pool writes nothing to the cluster). The DaemonSet is read on the pool's first
    /// reconcile, whenever what is wanted changes, and, while images are wanted, every
    /// `PrePullMemory.recheckInterval` (so one deleted or edited by hand is put back within minutes),
    /// not on every reconcile. A pool that wants none is not read again once its DaemonSet is known to
    /// be gone: only this operator creates it, and a restart starts from the first reconcile. Returns the
    /// event to emit, if any: a change made, or why none could be. Never throws: a failure leaves the
    /// pool's scaling alone and is tried again at the next reconcile.
    func reconcilePrePull(of pool: GPUPool, spec: GPUPoolSpec, memory: inout PoolMemory, now: Date) async -> PoolEvent? {
        let namespace = pool.metadata.namespace ?? "", poolName = pool.metadata.name ?? "", uid = pool.metadata.uid ?? ""
        let images = spec.effectiveMode == .active ? (spec.warmPool?.prePull?.images ?? []) : []
        let name = PrePullDaemonSet.name(forPool: poolName)
        let desired = images.isEmpty ? nil
            : PrePullDaemonSet.object(pool: poolName, namespace: namespace, uid: uid, selector: spec.nodes.selector, images: images)
        let wanted = desired.flatMap { $0["metadata"]?["annotations"]?[PrePullDaemonSet.specHashAnnotation]?.stringValue }
        if let known = memory.prePull, known.wanted == wanted,
           wanted == nil || now.timeIntervalSince(known.checkedAt) < PrePullMemory.recheckInterval {
            return nil
        }
        do {
            let existing = try await api.daemonSet(namespace: namespace, name: name)
            let change = PrePullDaemonSet.change(desired: desired, existing: existing, poolUID: uid)
            try await api.apply(change, namespace: namespace, name: name)
            memory.prePull = PrePullMemory(wanted: wanted, checkedAt: now)
            let listed = images.joined(separator: ", ")
            switch change {
            case .none:
                return nil
            case .create:
                return PoolEvent(type: .normal, reason: .prePullCreated,
                                 message: "Created DaemonSet \(namespace)/\(name) to keep \(listed) pulled on the pool's nodes.")
            case .update:
                return PoolEvent(type: .normal, reason: .prePullUpdated,
                                 message: "Updated DaemonSet \(namespace)/\(name): it keeps \(listed) pulled on the pool's nodes.")
            case .delete:
                return PoolEvent(type: .normal, reason: .prePullDeleted,
                                 message: "Deleted DaemonSet \(namespace)/\(name): \(images.isEmpty && spec.effectiveMode != .active ? "the pool is ForecastOnly" : "spec.warmPool.prePull lists no images").")
            case .foreign:
                return desired == nil ? nil : PoolEvent(
                    type: .warning, reason: .prePullFailed,
                    message: "DaemonSet \(namespace)/\(name) exists and is not owned by this pool; the images are not pre-pulled.")
            }
        } catch {
            logger.warning("Pre-pull DaemonSet not reconciled", metadata: ["pool": "\(namespace)/\(poolName)", "error": "\(error)"])
            return PoolEvent(type: .warning, reason: .prePullFailed, message: "DaemonSet \(namespace)/\(name) could not be reconciled: \(error)")
        }
    }
}

/// The spec hash of the pre-pull DaemonSet a pool last made sure of (nil: none wanted), and when.
struct PrePullMemory: Sendable, Hashable {
    /// How long a checked DaemonSet is trusted before it is read again.
    static let recheckInterval: TimeInterval = 300

    var wanted: String?
    var checkedAt: Date
}
