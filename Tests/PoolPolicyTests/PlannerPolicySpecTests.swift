import Autoscaling
import PoolPolicy
import FleetcastAPI
import Foundation
import KubeAPI
import Testing

@Suite struct PlannerPolicySpecTests {
    static func spec(warmPool: WarmPoolSpec? = nil, scaleDown: ScaleDownSpec? = nil, budget: BudgetSpec? = nil) -> GPUPoolSpec {
        GPUPoolSpec(
            nodes: NodesSpec(selector: LabelSelector(), gpusPerNode: 8, max: 40, hourlyCost: 32.77),
            target: ScaleTargetSpec(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineDeployment", name: "a100"),
            demand: DemandSpec(pods: PodDemandSpec(selector: LabelSelector())),
            warmPool: warmPool, startup: StartupSpec(expected: .minutes(8)), scaleDown: scaleDown, budget: budget)
    }

    @Test func defaultsFillWhatTheSpecOmits() {
        let policy = PlannerPolicy(spec: Self.spec())
        #expect(policy.mode == .active)
        #expect(policy.gpusPerNode == 8)
        #expect(policy.minNodes == 0 && policy.maxNodes == 40)
        #expect(policy.semantics == .totalNodes)
        #expect(policy.warmPool == WarmPoolPolicy(minIdleNodes: 0, maxIdleNodes: nil))
        #expect(policy.scaleDown == ScaleDownPolicy(stabilizationWindow: 900, maxNodesPerStep: 1))
        #expect(policy.hourlyCost == 32.77)
        #expect(policy.budgetNodeLimit == nil)
        #expect(policy.step == 60)
        let lead = LeadTimeEstimator(spec: Self.spec())
        #expect(lead.prior == 480 && lead.quantile == 0.9)
    }

    @Test func explicitFieldsMapOneToOne() {
        let policy = PlannerPolicy(
            spec: Self.spec(warmPool: WarmPoolSpec(minIdleNodes: 1, maxIdleNodes: 4, minIdlePercent: 5),
                            scaleDown: ScaleDownSpec(stabilizationWindow: .minutes(20), maxNodesPerStep: 3),
                            budget: BudgetSpec(maxHourlyCost: 900)),
            step: 30)
        #expect(policy.warmPool == WarmPoolPolicy(minIdleNodes: 1, maxIdleNodes: 4, minIdlePercent: 5))
        #expect(policy.scaleDown == ScaleDownPolicy(stabilizationWindow: 1200, maxNodesPerStep: 3))
        #expect(policy.budgetNodeLimit == 27)  // 900 / 32.77 = 27.46
        #expect(policy.step == 30)
    }
}
