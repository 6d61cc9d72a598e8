import Autoscaling
import Forecasting
import Foundation
import Sampling
import Testing

/// Invariants that must hold for every input, checked over thousands of random (seeded) inputs.
@Suite struct PlannerPropertyTests {
    struct Scenario {
        var policy: PlannerPolicy
        var observation: PoolObservation
        var forecast: Forecast?
        var lead: TimeInterval
        var state: PlannerState
    }

    static func scenario(_ rng: inout SplitMix64) -> Scenario {
        let minNodes = Int.random(in: 0...6, using: &rng)
        let maxNodes = Int.random(in: 0...40, using: &rng)
        let cost: Double? = Bool.random(using: &rng) ? Double.random(in: 1...40, using: &rng) : nil
        let budget: Double? = Bool.random(using: &rng) ? Double.random(in: 0...800, using: &rng) : nil
        let idle = Int.random(in: 0...3, using: &rng)
        let policy = PlannerPolicy(
            mode: Bool.random(using: &rng) ? .active : .forecastOnly,
            gpusPerNode: [1, 4, 8].randomElement(using: &rng) ?? 8,
            minNodes: minNodes, maxNodes: maxNodes,
            semantics: Bool.random(using: &rng) ? .totalNodes : .headroom,
            warmPool: WarmPoolPolicy(minIdleNodes: idle, maxIdleNodes: Bool.random(using: &rng) ? idle + Int.random(in: 0...3, using: &rng) : nil),
            scaleDown: ScaleDownPolicy(stabilizationWindow: Double(Int.random(in: 0...30, using: &rng)) * 60,
                                       maxNodesPerStep: Int.random(in: 1...4, using: &rng)),
            hourlyCost: cost, maxHourlyCost: budget, step: 60)
        let demand = Bool.random(using: &rng) ? 0 : Double.random(in: 0...300, using: &rng)
        let observation = PoolObservation(
            demandGPUs: demand, pendingGPUs: demand * Double.random(in: 0...1, using: &rng),
            nodes: { let ready = Int.random(in: 0...45, using: &rng)
                return NodeCounts(ready: ready, starting: Int.random(in: 0...5, using: &rng), idle: Int.random(in: 0...ready, using: &rng)) }())
        let lead = Double(Int.random(in: 0...20, using: &rng)) * 60
        var forecast: Forecast?
        if Int.random(in: 0..<5, using: &rng) > 0 {
            let origin = Fixture.now.addingTimeInterval(-Double(Int.random(in: 0...2, using: &rng)) * 60)
            let uppers = (0..<Int.random(in: 0...60, using: &rng)).map { _ in Double.random(in: 0...320, using: &rng) }
            let windowStart = Fixture.now.addingTimeInterval(Double(Int.random(in: -30...40, using: &rng)) * 60)
            let windows = Bool.random(using: &rng)
                ? [ScheduledWindow(name: "w", start: windowStart, end: windowStart.addingTimeInterval(1800),
                                   gpus: Double.random(in: 0...100, using: &rng))]
                : []
            forecast = Fixture.forecast(uppers, ready: Bool.random(using: &rng), windows: windows, origin: origin)
        }
        let since: Date? = Bool.random(using: &rng)
            ? Fixture.now.addingTimeInterval(-Double(Int.random(in: 0...40, using: &rng)) * 60) : nil
        return Scenario(policy: policy, observation: observation, forecast: forecast, lead: lead,
                        state: PlannerState(scaleDownWantedSince: since))
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func invariantsHoldForRandomInputs(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<2_500 {
            let s = Self.scenario(&rng)
            let plan = Planner(policy: s.policy).plan(
                observation: s.observation, forecast: s.forecast, leadTime: s.lead, state: s.state, now: Fixture.now)
            let desired = plan.desiredNodes
            let current = s.observation.nodes.current
            let budgetLimit = s.policy.budgetNodeLimit ?? Int.max
            let cap = min(s.policy.maxNodes, budgetLimit)

            #expect(desired >= 0)
            #expect(desired <= s.policy.maxNodes, "within max")
            #expect(desired <= budgetLimit, "within budget")
            #expect(desired >= min(s.policy.minNodes, cap), "at least min unless max or budget forbid")
            let demandNodes = s.policy.nodes(forGPUs: s.observation.demandGPUs)
            #expect(desired >= min(demandNodes, cap, max(current, demandNodes)), "never below current demand unless capped")
            if desired < current, current <= cap {
                // An unforced scale-down: only after the window, and at most maxNodesPerStep.
                // Inside the window only idle nodes above the warm pool's cap may go.
                let since = s.state.scaleDownWantedSince ?? Fixture.now
                let excessIdle = s.policy.warmPool.maxIdleNodes.map { max(0, s.observation.nodes.idle - $0) } ?? 0
                if Fixture.now.timeIntervalSince(since) < s.policy.scaleDown.stabilizationWindow {
                    #expect(current - desired <= excessIdle, "no scale-down inside the window beyond excess idle nodes")
                }
                #expect(current - desired <= s.policy.scaleDown.maxNodesPerStep)
                // Not while embargoed: the forecast's need over the embargo horizon is kept.
                if let forecast = s.forecast, forecast.readiness.isReady {
                    let peak = forecast.peakUpper(from: Fixture.now, to: Fixture.now.addingTimeInterval(2 * s.lead + 60))
                    let keep = min(cap, max(s.policy.nodes(forGPUs: max(peak, s.observation.demandGPUs)) + s.policy.warmPool.minIdleNodes,
                                            s.policy.minNodes))
                    #expect(desired >= min(keep, current), "no scale-down below an embargoed need")
                }
            }
            if desired < current, current > cap {
                #expect(desired <= cap)
            }
            #expect(plan.actuate == (s.policy.mode == .active))
            #expect(plan.replicas >= 0 && plan.replicas <= desired)
            #expect(!plan.explanation.isEmpty)
        }
    }

    @Test func samePlanForSameInputs() {
        var first = SplitMix64(seed: 99), second = SplitMix64(seed: 99)
        for _ in 0..<200 {
            let a = Self.scenario(&first), b = Self.scenario(&second)
            let planA = Planner(policy: a.policy).plan(observation: a.observation, forecast: a.forecast, leadTime: a.lead, state: a.state, now: Fixture.now)
            let planB = Planner(policy: b.policy).plan(observation: b.observation, forecast: b.forecast, leadTime: b.lead, state: b.state, now: Fixture.now)
            #expect(planA == planB)
        }
    }
}
