import FleetcastAPI
import Foundation
import KubeAPI

/// What happened to the target in one reconcile. One case per outcome, so status, events and
/// metrics all say the same thing.
enum Actuation: Sendable, Hashable {
    /// ForecastOnly mode: the plan is published, the target is not touched.
    case forecastOnly
    /// The target already had the planned replicas.
    case unchanged(replicas: Int)
    /// The target's replicas were set.
    case scaled(from: Int, to: Int)
    /// A lower number was planned but observation is stale, so the current size is held.
    case heldWhileBlind(replicas: Int, planned: Int)
    /// The target object does not exist (or its kind is not served).
    case targetNotFound(message: String)
    /// Reading or writing the target failed for another reason.
    case failed(message: String)
    /// An older pool scales the same target (`TargetOwnership`); this one leaves it alone.
    case targetConflict(message: String)
    /// cluster-autoscaler scales the target (it carries the Cluster API node-group bounds) and the
    /// pool would write its replicas too: nothing is written (use `MinimumSize`).
    case conflictingAutoscaler(message: String)
    /// The spec asks for something the target cannot do (`MinimumSize` on a target cluster-autoscaler
    /// does not scale); reported as `InvalidSpec`, nothing is written.
    case invalidTarget(message: String)

    /// Whether the pool is actuating its target (the outcome of a read or a write, not a refusal).
    var isActuating: Bool {
        switch self {
        case .unchanged, .scaled, .heldWhileBlind: return true
        case .forecastOnly, .targetNotFound, .failed, .targetConflict, .conflictingAutoscaler, .invalidTarget: return false
        }
    }

    /// The replicas to write given the target's current replicas, or nil to leave it alone.
    /// Stale observation only ever allows growing.
    static func replicasToWrite(planned: Int, current: Int, observationFresh: Bool) -> Int? {
        guard planned != current else { return nil }
        guard observationFresh || planned > current else { return nil }
        return planned
    }
}

/// The target as read at the start of a reconcile, before planning.
enum TargetRead: Sendable, Hashable {
    /// ForecastOnly: the target is not read.
    case notRead
    case read(TargetReplicas)
    case notFound(message: String)
    case failed(message: String)

    /// The replicas read, when the read succeeded.
    var replicas: TargetReplicas? {
        if case .read(let replicas) = self { return replicas }
        return nil
    }

    /// The size the pool last asked the target for, which the planner measures against: the
    /// replicas, or for MinimumSize the floor in the min-size annotation (nil while it is unusable).
    func requested(semantics: TargetSemantics) -> Int? {
        guard let read = replicas else { return nil }
        guard semantics == .minimumSize else { return read.replicas }
        if case .bounded(let min, _) = ClusterAutoscalerAnnotations.bounds(in: read.annotations) { return min }
        return nil
    }
}
