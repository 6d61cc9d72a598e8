import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI

extension GPUPoolReconciler {
    /// What a deleted pool left on nodes and Machines, released as its owner would have, so that
    /// deleting a GPUPool hands its nodes back as it found them:
    ///
    /// - the warm pool's `scale-down-disabled` (with the `fleetcast.dev/warm-pool` marker), which would
    ///   otherwise keep cluster-autoscaler from ever removing those nodes;
    /// - scale-down victims' cordons and their Machines' `cluster.x-k8s.io/delete-machine`, which would
    ///   otherwise leave empty nodes unschedulable for good, unless a scale-down is in flight (replicas
    ///   below the live nodes): then the MachineSet is about to delete exactly the marked Machines, and
    ///   releasing them would let it pick others, possibly busy ones.
    ///
    /// Only marks naming this pool are touched. It needs the pool's last spec, which this process has
    /// when it saw the pool before the deletion (the usual case); after a restart the marks stay, as
    /// docs/operator.md says. A failed write throws: the controller retries with backoff.
    func releaseMarks(ofDeleted pool: GPUPool, key: ObjectKey) async throws {
        guard let removal else { return }
        let owner = "\(key.namespace)/\(key.name)", spec = pool.spec.withDefaults()
        let live = cache.nodes(selector: spec.nodes.selector).filter { $0.metadata.deletionTimestamp == nil }
        // No warm nodes any more: every node the pool protected is released.
        let warm = WarmPoolProtection.changes(warmNodes: 0, nodes: live, pods: [], pool: owner, resource: spec.effectiveDemandResource)
        for name in warm.release { try await removal.setScaleDownDisabled(name, disabled: false, pool: owner) }
        var released = warm.release
        let namespace = spec.target.namespace(forPoolIn: key.namespace)
        let marking = VictimMarking(removal: removal, target: spec.target, namespace: namespace, pool: owner)
        // Nothing is kept, as for a pool that no longer scales down; a target gone with its Machines has
        // nothing to hand back.
        if VictimMarking.applies(to: spec), !marking.marked(among: live).isEmpty,
           let replicas = try await replicasUnlessGone(spec.target, namespace: namespace) {
            released += try await releaseStaleMarks(marking, live: live, replicas: replicas, keeping: []).compactMap(\.metadata.name)
        }
        if !released.isEmpty {
            logger.info("Released the deleted pool's marks on its nodes", metadata: ["pool": "\(owner)", "nodes": "\(released.sorted().joined(separator: ","))"])
        }
    }

    private func replicasUnlessGone(_ target: ScaleTargetSpec, namespace: String) async throws(TargetError) -> Int? {
        do {
            return try await api.replicas(of: target, namespace: namespace).replicas
        } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }
}
