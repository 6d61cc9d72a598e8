import FleetcastAPI
import Testing
@testable import Operator

/// `status.cost.hourly`: running nodes at `spec.nodes.hourlyCost`, suspended standby nodes at the
/// standby price (`standby.hourlyCost`, else 10 % of the running price).
@Suite struct PoolCostTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var nodePrice: Double?
        /// nil: no standby tier; `.some(nil)`: a tier without its own price.
        var standbyPrice: Double??
        var running: Int
        var suspended: Int
        var expected: Double?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "running only, no standby tier", nodePrice: 30, standbyPrice: nil, running: 3, suspended: 0, expected: 90),
        Case(name: "no running price: no cost", nodePrice: nil, standbyPrice: .some(2), running: 3, suspended: 2, expected: nil),
        Case(name: "suspended at the standby tier's own price", nodePrice: 30, standbyPrice: .some(2.5), running: 3, suspended: 4, expected: 100),
        Case(name: "suspended at the default 10 % of the running price", nodePrice: 30, standbyPrice: .some(nil), running: 2, suspended: 5, expected: 75),
        Case(name: "only suspended nodes", nodePrice: 40, standbyPrice: .some(nil), running: 0, suspended: 3, expected: 12),
        Case(name: "a tier with no suspended nodes costs nothing extra", nodePrice: 30, standbyPrice: .some(5), running: 1, suspended: 0, expected: 30),
        Case(name: "a free standby tier", nodePrice: 30, standbyPrice: .some(0), running: 1, suspended: 6, expected: 30),
        Case(name: "an empty pool", nodePrice: 30, standbyPrice: .some(nil), running: 0, suspended: 0, expected: 0),
    ]

    @Test(arguments: cases)
    func hourlyCostBillsSuspendedNodesAtTheStandbyPrice(_ c: Case) {
        var spec = makePool().spec
        spec.nodes.hourlyCost = c.nodePrice
        if let standbyPrice = c.standbyPrice {
            spec.warmPool = WarmPoolSpec(standby: StandbySpec(
                maxNodes: 8, hourlyCost: standbyPrice,
                target: ScaleTargetSpec(apiVersion: "autoscaling.x-k8s.io/v1alpha1", kind: "CapacityBuffer", name: "a100-standby")))
        }
        let cost = CostStatus(spec: spec, runningNodes: c.running, suspendedNodes: c.suspended)
        #expect(cost?.hourly.map { ($0 * 1e6).rounded() / 1e6 } == c.expected)
        #expect((cost == nil) == (c.expected == nil))
    }
}
