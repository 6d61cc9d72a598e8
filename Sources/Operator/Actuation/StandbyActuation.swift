import Autoscaling
import FleetcastAPI
import Foundation
import KubeAPI

/// What happened to the standby target (`spec.warmPool.standby.target`) in one reconcile.
enum StandbyActuation: Sendable, Hashable {
    /// The pool has no standby tier.
    case none
    /// ForecastOnly (or a plan that does not actuate): the standby count is published, not written.
    case forecastOnly
    case unchanged(replicas: Int)
    case scaled(from: Int, to: Int)
    /// Fewer standby nodes were planned while observation is stale: the current count is held.
    case heldWhileBlind(replicas: Int, planned: Int)
    /// The standby target could not be read or written, or another pool scales it.
    case failed(message: String)

    /// The event to emit for it, if any.
    func event(target: ScaleTargetSpec, namespace: String, reason: StandbyReason?) -> PoolEvent? {
        let what = "\(target.kind) \(namespace)/\(target.name)"
        switch self {
        case .scaled(let from, let to):
            return PoolEvent(type: .normal, reason: .standbyScaled,
                             message: "Set standby target \(what) from \(from) to \(to) suspended nodes\(reason.map { " (\($0.rawValue))" } ?? "").")
        case .failed(let message):
            return PoolEvent(type: .warning, reason: .standbyFailed, message: message)
        case .none, .forecastOnly, .unchanged, .heldWhileBlind:
            return nil
        }
    }
}
