import Foundation

/// Which machines a shrinking MachineDeployment removes, in the order Cluster API's MachineSet
/// does with its default policy plus cluster-autoscaler's hint: machines annotated
/// `cluster.x-k8s.io/delete-machine` first, then machines whose node runs no pods, then the newest.
struct ScaleDownOrder {
    static let deleteMachineAnnotation = "cluster.x-k8s.io/delete-machine"

    struct Candidate: Sendable, Hashable {
        var name: String
        var markedForDeletion: Bool
        var isEmpty: Bool
        var created: Date
    }

    /// The `count` machines to delete, most deletable first.
    static func victims(_ candidates: [Candidate], count: Int) -> [String] {
        let ordered = candidates.sorted { lhs, rhs in
            if lhs.markedForDeletion != rhs.markedForDeletion { return lhs.markedForDeletion }
            if lhs.isEmpty != rhs.isEmpty { return lhs.isEmpty }
            if lhs.created != rhs.created { return lhs.created > rhs.created }
            return lhs.name > rhs.name
        }
        return ordered.prefix(max(0, count)).map(\.name)
    }
}
