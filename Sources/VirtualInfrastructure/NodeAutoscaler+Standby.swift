import Foundation
import KubeAPI

/// What a pool has for its standby buffers this step, as the autoscaler sees it.
struct StandbyCapacity {
    /// New nodes the pending pods need beyond the capacity already on its way.
    var podsNeed: Int
    /// Upcoming nodes (booting, or asked for and not created) nothing pending needs.
    var freeUpcoming: Int
    /// Of those, replicas asked for whose Machines do not exist yet.
    var notCreated: Int
    /// Booting nodes with no pod and no suspension: what a standby buffer may take.
    var claimable: [KubeNode]
}

/// What the standby buffers of a pool decided.
struct StandbyOutcome {
    /// Suspended nodes asked to resume for pending pods (they left their buffer).
    var resumed = 0
    /// Nodes to add so every buffer has its replicas.
    var newNodes = 0
    /// Members whose Machines were marked for deletion (their buffer shrank or is gone).
    var released = 0
}

extension NodeAutoscaler {
    /// GKE's standby buffers, emulated: a CapacityBuffer with `provisioningStrategy:
    /// buffer.gke.io/standby-capacity` keeps `replicas` nodes of the pool its template fits, set up
    /// then suspended. Pending pods the capacity on its way cannot hold resume suspended members
    /// first (each leaves its buffer and is Ready after the pool's `standby.resumeDelay`); then each
    /// buffer takes new booting nodes nothing pending needs, asks for more, or releases surplus
    /// members; suspended members past `standby.refreshInterval` are woken to set up again.
    mutating func reconcileStandby(_ pool: NodePoolConfiguration, requests: [CapacityBuffers.Request], members: [KubeNode],
                                   capacity: StandbyCapacity, objects: ClusterObjects, machines: ClusterObjects,
                                   context: inout StepContext) async throws -> StandbyOutcome {
        var outcome = StandbyOutcome()
        let now = context.now
        let wanted = Dictionary(requests.map { ($0.key, $0.replicas) }, uniquingKeysWith: { first, _ in first })
        var remaining = members.filter { !releasing.contains($0.metadata.name ?? "") }.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }

        // Pending pods first: resume suspended members, as many as the pods need.
        for node in remaining.filter({ StandbyNode($0).isIdleSuspended }).prefix(capacity.podsNeed) {
            var state = StandbyNode(node)
            let buffer = state.buffer ?? ""
            state.buffer = nil
            state.resumeAt = Self.wholeSecond(after: now.addingTimeInterval(pool.standby.resumeDelay.sample(using: &context.generator)))
            try await annotate(node, state, objects: objects)
            context.record(.standbyResuming, node.metadata.name ?? "", buffer)
            remaining.removeAll { $0.metadata.name == node.metadata.name }
            outcome.resumed += 1
        }
        for node in remaining {
            var state = StandbyNode(node)
            guard state.isIdleSuspended, let since = state.suspendedAt, now.timeIntervalSince(since) >= pool.standby.refreshInterval else { continue }
            state.resumeAt = Self.wholeSecond(after: now.addingTimeInterval(pool.standby.resumeDelay.sample(using: &context.generator)))
            try await annotate(node, state, objects: objects)
            context.record(.standbyRefreshing, node.metadata.name ?? "", state.buffer ?? "")
        }

        // Members of buffers that are gone, or that fit another pool now, and each buffer's surplus.
        var surplus = remaining.filter { wanted[StandbyNode($0).buffer ?? ""] == nil }
        var claimable = capacity.claimable.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        var freeUpcoming = capacity.freeUpcoming, notCreated = min(capacity.notCreated, capacity.freeUpcoming)
        for request in requests.sorted(by: { $0.key < $1.key }) {
            let mine = remaining.filter { StandbyNode($0).buffer == request.key }
            if mine.count > request.replicas {
                // Suspended members last: the ones still setting up cost more.
                let ordered = mine.sorted { (StandbyNode($0).suspendedAt != nil ? 1 : 0) < (StandbyNode($1).suspendedAt != nil ? 1 : 0) }
                surplus += ordered.prefix(mine.count - request.replicas)
                continue
            }
            var short = request.replicas - mine.count
            while short > 0, freeUpcoming > notCreated, !claimable.isEmpty {
                let node = claimable.removeFirst()
                try await annotate(node, StandbyNode(buffer: request.key), objects: objects)
                context.record(.standbyClaimed, node.metadata.name ?? "", request.key)
                short -= 1
                freeUpcoming -= 1
            }
            // Replicas asked for but not created yet are claimed once their nodes exist.
            let awaited = min(short, notCreated)
            notCreated -= awaited
            freeUpcoming -= awaited
            outcome.newNodes += short - awaited
        }
        for node in surplus {
            let name = node.metadata.name ?? ""
            let machine = node.metadata.annotations?[NodeShape.machineAnnotation] ?? name
            try await machines.mergePatch("\(NodePoolController.machinesPath(pool.namespace))/\(machine)",
                                          .object(["metadata": .object(["annotations": .object([
                                              ScaleDownOrder.deleteMachineAnnotation: .string("true")])])]))
            releasing.insert(name)
            context.record(.standbyReleased, name, StandbyNode(node).buffer ?? "")
            outcome.released += 1
        }
        return outcome
    }

    private func annotate(_ node: KubeNode, _ state: StandbyNode, objects: ClusterObjects) async throws {
        try await objects.mergePatch("/api/v1/nodes/\(node.metadata.name ?? "")",
                                     .object(["metadata": .object(["annotations": state.annotationPatch])]))
    }

    /// Timestamps on objects have whole seconds: a resume ends on the next one.
    static func wholeSecond(after date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.up))
    }
}
