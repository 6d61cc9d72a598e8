import Autoscaling
import FleetcastAPI
import Foundation
import KubeAPI
import PoolPolicy
import Testing
@testable import Operator

/// The BudgetLimited condition with a standby tier: the budget pays the running nodes first and the
/// suspended standby nodes at the standby price from what is left; capping either sets it True.
@Suite struct BudgetConditionTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    /// A pool at 10 per node-hour with a standby tier at 1 per node-hour that wants 3 standby nodes.
    static func spec(budget: Double?) -> GPUPoolSpec {
        var spec = makePool().spec
        spec.nodes.hourlyCost = 10
        spec.budget = budget.map { BudgetSpec(maxHourlyCost: $0) }
        spec.warmPool = WarmPoolSpec(standby: StandbySpec(
            minNodes: 3, maxNodes: 4, hourlyCost: 1, resume: StartupSpec(expected: KubeDuration(seconds: 35)),
            target: ScaleTargetSpec(apiVersion: "autoscaling.x-k8s.io/v1alpha1", kind: "CapacityBuffer", name: "a100-standby")))
        return spec
    }

    static func plan(_ spec: GPUPoolSpec) -> Plan {
        Planner(policy: PlannerPolicy(spec: spec)).plan(
            observation: PoolObservation(demandGPUs: 16, nodes: NodeCounts(ready: 2)), forecast: nil,
            leadTime: 720, resumeTime: 35, state: PlannerState(), now: now)
    }

    /// The running nodes the plan holds with no budget in the way.
    static let running = plan(spec(budget: nil)).desiredNodes

    /// (budget above the running nodes' cost, expected status, reason, standby nodes, message contains)
    static let cases: [(Double?, ConditionStatus, GPUPoolConditionReason, Int, String)] = [
        (nil, .false, .noBudget, 3, "No budget is set."),
        (100, .false, .withinBudget, 3, "within the budget"),
        (3, .false, .withinBudget, 3, "within the budget"),
        // 1.5 left after the running nodes buys one standby node at 1.
        (1.5, .true, .budgetLimited, 1, "the budget pays for 1 standby node at the standby price"),
        (0, .true, .budgetLimited, 0, "the budget pays for 0 standby nodes"),
        // Less than the running nodes cost: the running nodes are capped, and nothing is left for standby.
        (-10, .true, .budgetLimited, 0, "The budget caps the pool at"),
    ]

    @Test(arguments: 0..<cases.count)
    func budgetLimitedCountsTheStandbyTierAtItsPrice(_ index: Int) {
        let (extra, status, reason, standbyNodes, message) = Self.cases[index]
        let spec = Self.spec(budget: extra.map { Double(Self.running) * 10 + $0 })
        let plan = Self.plan(spec)
        #expect(plan.standby?.nodes == standbyNodes)
        var conditions = PoolConditions(existing: nil, generation: 1, now: Self.now)
        conditions.setBudget(plan, spec: spec)
        let condition = conditions.conditions.first { $0.type == GPUPoolConditionType.budgetLimited.rawValue }
        #expect(condition?.status == status)
        #expect(condition?.reason == reason.rawValue)
        #expect(condition?.message.contains(message) == true, "\(condition?.message ?? "")")
    }
}
