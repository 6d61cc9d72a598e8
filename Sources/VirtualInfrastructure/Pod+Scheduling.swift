import Foundation
import KubeAPI

extension Pod {
    /// `namespace/name`, the key of the event log.
    var key: String { "\(metadata.namespace ?? "default")/\(metadata.name ?? "")" }

    var path: String { "/api/v1/namespaces/\(metadata.namespace ?? "default")/pods/\(metadata.name ?? "")" }

    var isTerminal: Bool { status?.phase == "Succeeded" || status?.phase == "Failed" }

    var isBound: Bool { !(spec?.nodeName ?? "").isEmpty }

    /// Pending and unbound, not being deleted, for the default scheduler.
    var needsScheduling: Bool {
        !isBound && !isTerminal && metadata.deletionTimestamp == nil
            && (spec?.schedulerName == nil || spec?.schedulerName == "default-scheduler")
    }

    /// Whole GPUs requested by the containers (requests equal limits; missing requests default to limits).
    var gpuRequest: Int {
        (spec?.containers ?? []).reduce(0) { total, container in
            let resources = container.resources
            let quantity = resources?.requests?[NodeShape.gpuResource] ?? resources?.limits?[NodeShape.gpuResource]
            return total + (quantity.flatMap { Int($0) } ?? 0)
        }
    }

    /// `spec.priority`, else the value of its PriorityClass, else the global default class, else 0.
    func priority(classes: [String: Int], globalDefault: Int) -> Int {
        if let priority = spec?.priority { return Int(priority) }
        if let name = spec?.priorityClassName, let value = classes[name] { return value }
        return globalDefault
    }

    /// `nodeSelector` and required node affinity, the label filters of the default scheduler.
    func matchesNode(labels: [String: String], name: String) -> Bool {
        guard (spec?.nodeSelector ?? [:]).allSatisfy({ labels[$0.key] == $0.value }) else { return false }
        guard let required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution else { return true }
        return required.matches(labels: labels, name: name)
    }

    /// Whether every `NoSchedule`/`NoExecute` taint is tolerated (`PreferNoSchedule` never blocks).
    func tolerates(_ taints: [Taint]) -> Bool {
        taints.allSatisfy { taint in
            taint.effect == "PreferNoSchedule" || (spec?.tolerations ?? []).contains { $0.tolerates(taint) }
        }
    }
}

extension Toleration {
    /// The upstream matching rule: empty key with Exists matches all; effect empty matches all effects.
    func tolerates(_ taint: Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        if (key ?? "").isEmpty { return self.operator == "Exists" }
        guard key == taint.key else { return false }
        switch self.operator ?? "Equal" {
        case "Exists": return true
        default: return (value ?? "") == (taint.value ?? "")
        }
    }
}
