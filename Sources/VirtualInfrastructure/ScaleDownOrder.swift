import Foundation
import KubeAPI

/// The order in which a shrinking MachineSet deletes Machines: Cluster API's `spec.deletion.order`
/// (v1beta2), `spec.strategy.rollingUpdate.deletePolicy` on a v1beta1 MachineDeployment, or
/// `spec.deletePolicy` on a v1beta1 MachineSet. Unset means Random.
public enum MachineDeletionOrder: String, Sendable, Hashable, CaseIterable {
    case random = "Random"
    case newest = "Newest"
    case oldest = "Oldest"

    /// The order a MachineDeployment (or MachineSet) object asks for, in any of its API versions.
    static func of(_ owner: JSONValue) -> MachineDeletionOrder {
        let text = owner.at("spec", "deletion", "order")?.stringValue
            ?? owner.at("spec", "strategy", "rollingUpdate", "deletePolicy")?.stringValue
            ?? owner.at("spec", "deletePolicy")?.stringValue
        return text.flatMap(MachineDeletionOrder.init(rawValue:)) ?? .random
    }
}

/// Which Machines a shrinking MachineSet removes, exactly as Cluster API's
/// `internal/controllers/machineset/machineset_delete_policy.go` ranks them: a priority per Machine
/// (being deleted 100, annotated `cluster.x-k8s.io/delete-machine` 75, unhealthy 50, then the
/// policy: Random 20 for every healthy Machine, Oldest and Newest by age on a ten-day scale), highest
/// first, ties broken by name. Pods are never looked at: a Machine running a training job is as
/// deletable as an empty one. Random is random only through the Machines' random name suffixes,
/// which the infrastructure draws from its seed, so the same seed deletes the same Machines.
enum ScaleDownOrder {
    static let deleteMachineAnnotation = "cluster.x-k8s.io/delete-machine"

    struct Candidate: Sendable, Hashable {
        var name: String
        var isDeleting: Bool = false
        var markedForDeletion: Bool = false
        /// Upstream's `isMachineHealthy`: the Machine has a node and the node is healthy (Ready).
        var isHealthy: Bool = true
        /// The Machine's `creationTimestamp`; nil when unknown.
        var created: Date?
    }

    private static let mustDelete = 100.0, shouldDelete = 75.0, betterDelete = 50.0, couldDelete = 20.0, mustNotDelete = 0.0
    private static let secondsPerTenDays = 864_000.0

    static func priority(of machine: Candidate, order: MachineDeletionOrder, now: Date) -> Double {
        if machine.isDeleting { return mustDelete }
        if machine.markedForDeletion { return shouldDelete }
        if !machine.isHealthy { return betterDelete }
        switch order {
        case .random: return couldDelete
        case .oldest: return ageScore(machine, now: now)
        case .newest: return betterDelete - ageScore(machine, now: now)
        }
    }

    /// Upstream's `oldestDeletePriority` for a healthy, unannotated Machine: the creation time mapped
    /// onto 0…50, older higher.
    private static func ageScore(_ machine: Candidate, now: Date) -> Double {
        guard let created = machine.created else { return mustNotDelete }
        let age = now.timeIntervalSince(created)
        guard age >= 0 else { return mustNotDelete }
        return betterDelete * (1 - exp(-age / secondsPerTenDays))
    }

    /// The `count` Machines to delete, most deletable first.
    static func victims(_ candidates: [Candidate], count: Int, order: MachineDeletionOrder, now: Date) -> [String] {
        guard count > 0 else { return [] }
        let ranked = candidates.map { (priority: priority(of: $0, order: order, now: now), name: $0.name) }
            .sorted { $0.priority != $1.priority ? $0.priority > $1.priority : $0.name < $1.name }
        return ranked.prefix(count).map(\.name)
    }
}
