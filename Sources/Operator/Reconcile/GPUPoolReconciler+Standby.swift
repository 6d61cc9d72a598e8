import Autoscaling
import FleetcastAPI
import Foundation
import KubeAPI

extension GPUPoolReconciler {
    /// Reads the standby target's replicas (`spec.warmPool.standby.target`) before planning: they
    /// tell how many standby nodes were asked for and are not suspended yet (`StandbyCounts.entering`).
    /// Not read without a standby tier, in ForecastOnly, or when an older pool writes it.
    func readStandbyTarget(spec: GPUPoolSpec, namespace: String, owned: Bool) async -> TargetRead {
        guard let standby = spec.effectiveStandby, spec.effectiveMode == .active, owned else { return .notRead }
        do {
            return .read(try await api.replicas(of: standby.target, namespace: standby.target.namespace(forPoolIn: namespace)))
        } catch {
            switch error {
            case .notFound(let message): return .notFound(message: message)
            case .failed(let message), .conflict(let message): return .failed(message: message)
            }
        }
    }

    /// Writes the plan's standby node count to the standby target, as `actuate` writes the running
    /// count to `spec.target`: only in Active mode, only when it differs, and while observation is
    /// stale only upwards. A conflict is thrown so the reconcile is retried with the target read again.
    func actuateStandby(_ plan: Plan, spec: GPUPoolSpec, read: TargetRead, owner: TargetOwnership.Claim?, namespace: String,
                        observationFresh: Bool) async throws(TargetError) -> StandbyActuation {
        guard let standby = spec.effectiveStandby, let planned = plan.standby?.nodes else { return .none }
        let target = standby.target, targetNamespace = target.namespace(forPoolIn: namespace)
        let what = "standby target \(target.kind) \(targetNamespace)/\(target.name)"
        guard spec.effectiveMode == .active, plan.actuate else { return .forecastOnly }
        if let owner { return .failed(message: "The \(what) is scaled by the older GPUPool \(owner.pool); this pool does not change it.") }
        let current: TargetReplicas
        switch read {
        case .notRead: return .forecastOnly
        case .notFound(let message): return .failed(message: "The \(what) was not found: \(message)")
        case .failed(let message): return .failed(message: "The \(what) could not be read: \(message)")
        case .read(let replicas): current = replicas
        }
        guard let write = Actuation.replicasToWrite(planned: planned, current: current.replicas, observationFresh: observationFresh) else {
            return planned < current.replicas && !observationFresh
                ? .heldWhileBlind(replicas: current.replicas, planned: planned) : .unchanged(replicas: current.replicas)
        }
        do {
            try await api.setReplicas(write, of: target, namespace: targetNamespace, read: current)
        } catch {
            switch error {
            case .conflict: throw error
            case .notFound(let message), .failed(let message): return .failed(message: "The \(what) could not be written: \(message)")
            }
        }
        logger.info("Scaled standby target", metadata: [
            "pool": "\(namespace)/\(spec.target.name)", "target": "\(targetNamespace)/\(target.name)", "from": "\(current.replicas)",
            "to": "\(write)", "reason": "\(plan.standby?.reason.rawValue ?? "")"])
        return .scaled(from: current.replicas, to: write)
    }

}

extension StandbyStatus {
    /// `status.standby`: the plan's standby nodes, the suspended nodes seen, and the resume time with
    /// the observed resumes' p50/p90 from the estimate the plan was made with.
    init(plan: Plan, suspended: Int, resume: LeadTimeEstimate?) {
        self.init(desired: plan.standby?.nodes, readyToResume: suspended,
                  resumeTime: (plan.standby?.resumeTime ?? resume?.leadTime).map { KubeDuration(seconds: $0) },
                  resumeP50: resume?.p50.map { KubeDuration(seconds: $0) }, resumeP90: resume?.p90.map { KubeDuration(seconds: $0) },
                  resumeSamples: resume?.samples)
    }
}
