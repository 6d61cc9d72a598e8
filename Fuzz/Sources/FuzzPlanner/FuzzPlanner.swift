import Autoscaling
import FleetcastAPI
import Forecasting
import Foundation
import FuzzSupport
import KubeAPI
@testable import Operator
import PoolPolicy

/// The operator's decision step (`PoolPlanning.plan`: demand tally, then the decision loop the simulator
/// runs too — history, forecaster fit and forecast, lead time, planner) and its actuation rule, over a run
/// of reconciles. Input: bytes that choose a GPUPool spec (kept only when it validates and converts to
/// decision settings, as the operator plans no other pool), then per reconcile the pods with their GPU
/// requests (any quantity text), the nodes, whether the caches are fresh, and the time step. The target's
/// replicas are carried from one reconcile to the next as the operator's writes leave them.
///
/// Invariants, every reconcile: nothing traps; the desired node count is within 0…max and within the
/// budget's node limit; it is at least the nodes the demand observed now needs, unless a limit caps it;
/// replicas are within 0…desired; forecast points are finite and non-negative; and while observation is
/// stale the target's replicas are never lowered.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlanner(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    guard let pool = PlannerFuzzSpec.pool(&input), pool.validate().isEmpty else { return 0 }
    let spec = pool.spec.withDefaults()
    let resource = spec.effectiveDemandResource
    let tick = Double(input.integer(in: 1...600))
    guard let settings = try? DecisionSettings(spec: pool.spec, tick: tick) else { return 0 }
    let policy = settings.planner
    var memory = PoolMemory(settings: settings)
    var now = Date(timeIntervalSince1970: 1_750_000_000 + Double(input.integer(in: 0...1_209_600)))
    var replicas = input.integer(in: 0...64)
    let reconciles = input.integer(in: 1...8)

    for _ in 0..<reconciles where !input.isExhausted {
        let pods = PlannerFuzzWorld.pods(&input, resource: resource)
        let nodes = PlannerFuzzWorld.nodes(&input, resource: resource)
        let freshness: ObservationFreshness = switch input.byte() % 8 {
        case 0: .neverSynced
        case 1: .stale(since: now.addingTimeInterval(-120), limit: 60)
        default: .current
        }
        let active = spec.effectiveMode == .active
        let snapshot = PoolSnapshot(pool: pool, pods: pods, nodes: nodes, targetReplicas: active ? replicas : nil,
                                    freshness: freshness, now: now)
        let outcome = PoolPlanning.plan(snapshot, memory: &memory, settings: settings)
        let plan = outcome.plan

        let limit = min(max(0, policy.maxNodes), policy.budgetNodeLimit ?? Int.max)
        invariant(plan.desiredNodes >= 0 && plan.desiredNodes <= max(0, policy.maxNodes),
                  "desired \(plan.desiredNodes) outside 0…max \(policy.maxNodes)")
        if let budget = policy.budgetNodeLimit {
            invariant(plan.desiredNodes <= budget, "desired \(plan.desiredNodes) above the budget's \(budget) nodes")
        }
        let neededNow = policy.nodes(forGPUs: outcome.observation.demandGPUs)
        invariant(plan.desiredNodes >= min(neededNow, limit),
                  "desired \(plan.desiredNodes) below the \(neededNow) nodes demand needs now (limit \(limit))")
        invariant(plan.replicas >= 0 && plan.replicas <= plan.desiredNodes, "replicas \(plan.replicas) for desired \(plan.desiredNodes)")
        for point in outcome.forecast?.points ?? [] {
            invariant(point.mean.isFinite && point.mean >= 0 && point.upper.isFinite && point.upper >= 0, "forecast point \(point)")
        }

        if plan.actuate,
           let write = Actuation.replicasToWrite(planned: plan.replicas, current: replicas, observationFresh: freshness.isFresh) {
            invariant(freshness.isFresh || write > replicas, "replicas \(replicas) → \(write) while observation is \(freshness)")
            replicas = write
        }
        // Mostly one tick; now and then a long gap (an operator restart, a leader change).
        now = now.addingTimeInterval(input.byte() < 240 ? tick : Double(input.integer(in: 0...864_000)))
    }
    return 0
}
