import Foundation
import KubeAPI

/// `policy/v1` PodDisruptionBudgets as the eviction API applies them: a pod may be evicted when the
/// one budget selecting it (in its namespace) still allows a disruption; a pod selected by two
/// budgets cannot be evicted (the API server answers 500 for it), a pod selected by none always can.
/// Allowed disruptions are computed as the disruption controller does, from the pods at the start of
/// the step: healthy (Ready, not deleting) selected pods minus the desired healthy count from
/// `minAvailable` or `maxUnavailable` (an integer, or a percentage of the selected pods rounded up);
/// each eviction spends one until the next step recomputes them.
struct PodDisruptionBudgets {
    struct Budget: Sendable, Hashable {
        var namespace: String
        var name: String
        /// nil: the budget selects nothing (a null selector in policy/v1); empty: every pod of the namespace.
        var selector: LabelSelector?
        var minAvailable: JSONValue?
        var maxUnavailable: JSONValue?
    }

    var budgets: [Budget]
    /// The pods as the disruption controller last saw them.
    var pods: [Pod]
    /// Evictions granted this step, per budget (`namespace/name`).
    private var spent: [String: Int] = [:]

    init(budgets: [Budget], pods: [Pod]) {
        self.budgets = budgets
        self.pods = pods
    }

    static func load(_ objects: ClusterObjects, pods: [Pod]) async throws -> PodDisruptionBudgets {
        let items = try await objects.list("/apis/policy/v1/poddisruptionbudgets", as: JSONValue.self)
        return PodDisruptionBudgets(budgets: items.map { item in
            let selector = item.at("spec", "selector").flatMap { value -> LabelSelector? in
                guard let data = try? JSONEncoder().encode(value) else { return nil }
                return try? JSONDecoder().decode(LabelSelector.self, from: data)
            }
            return Budget(namespace: item.objectNamespace, name: item.objectName, selector: selector,
                          minAvailable: item.at("spec", "minAvailable"), maxUnavailable: item.at("spec", "maxUnavailable"))
        }, pods: pods)
    }

    /// Asks to evict `pod`: nil when the eviction is granted (and counted against its budget), else
    /// the refusal the API server would give.
    mutating func evict(_ pod: Pod) -> String? {
        let namespace = pod.metadata.namespace ?? "default"
        let matching = budgets.filter { $0.namespace == namespace && $0.selects(pod) }
        guard let budget = matching.first else { return nil }
        if matching.count > 1 {
            return "pod \(pod.key) is selected by more than one PodDisruptionBudget (\(matching.map(\.name).sorted().joined(separator: ", ")))"
        }
        let selected = pods.filter { ($0.metadata.namespace ?? "default") == namespace && !$0.isTerminal && budget.selects($0) }
        let key = "\(budget.namespace)/\(budget.name)"
        let healthy = selected.filter(\.isHealthyForDisruption).count - spent[key, default: 0]
        let desired = budget.desiredHealthy(expected: selected.count)
        // An unhealthy pod may go while the budget is met (unhealthyPodEvictionPolicy IfHealthyBudget).
        let granted = pod.isHealthyForDisruption ? healthy - desired >= 1 : healthy >= desired
        guard granted else { return budget.refusal(healthy: healthy, desired: desired) }
        if pod.isHealthyForDisruption { spent[key, default: 0] += 1 }
        return nil
    }
}

extension PodDisruptionBudgets.Budget {
    func selects(_ pod: Pod) -> Bool {
        guard let selector else { return false }
        return selector.matches(pod.metadata.labels ?? [:])
    }

    /// How many selected pods must stay healthy.
    func desiredHealthy(expected: Int) -> Int {
        if let minAvailable { return Self.scaled(minAvailable, of: expected) }
        if let maxUnavailable { return max(0, expected - Self.scaled(maxUnavailable, of: expected)) }
        return 0
    }

    func refusal(healthy: Int, desired: Int) -> String {
        "Cannot evict pod as it would violate the pod's disruption budget \(namespace)/\(name) "
            + "(\(healthy) healthy, \(desired) needed)"
    }

    /// An IntOrString: an integer, or a percentage of `total` rounded up.
    private static func scaled(_ value: JSONValue, of total: Int) -> Int {
        if let text = value.stringValue, text.hasSuffix("%"), let percent = Double(text.dropLast()) {
            return Int((percent * Double(total) / 100).rounded(.up))
        }
        return value.integer ?? 0
    }
}

extension Pod {
    /// Counted healthy by the disruption controller: Ready and not being deleted.
    var isHealthyForDisruption: Bool {
        metadata.deletionTimestamp == nil && (status?.conditions ?? []).contains { $0.type == "Ready" && $0.status == "True" }
    }
}
