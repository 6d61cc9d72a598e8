import Foundation
import Simulation
import Testing
import Tuning

/// The reference families swept on the tuner's history, their frontiers and the chart of them.
@Suite struct FamilySweepTests {
    @Test func everyReferenceFamilyIsSweptWithinThePoolsLimits() {
        var evaluator = TuningFixture.evaluator(TuningFixture.spec(max: 16))
        let points = evaluator.sweepReferenceFamilies()
        #expect(points.filter { $0.family == .reactive }.count == ReplayEvaluator.reactiveWarmNodes.count)
        #expect(points.filter { $0.family == .static }.count == ReplayEvaluator.staticShares.count)
        #expect(points.filter { $0.family == .yesterday }.count == ReplayEvaluator.yesterdayMargins.count)
        #expect(!points.contains { $0.family == .predictive })
        // Static pools are clamped to nodes.max (16 nodes of 8 GPUs cannot hold the ~140-GPU peak).
        #expect(points.filter { $0.family == .static }.allSatisfy { $0.setting.hasPrefix("nodes=") && (Int($0.setting.dropFirst(6)) ?? Int.max) <= 16 })
        #expect(points.allSatisfy { $0.servedFraction >= 0 && $0.servedFraction <= 1 && $0.worstDayServedFraction <= $0.servedFraction + 1e-3 })
        // More warm nodes never serve less on the same days.
        let reactive = points.filter { $0.family == .reactive }.map(\.servedFraction)
        #expect(zip(reactive, reactive.dropFirst()).allSatisfy { $0 <= $1 + 1e-12 })
    }

    @Test func predictiveIsSweptOverItsFreeKnobsOnly() {
        var evaluator = TuningFixture.evaluator(TuningFixture.spec(max: 10))
        let base = TuningKnobs(TuningFixture.settings(TuningFixture.spec(max: 10)))
        // 4 quantiles × warm floors up to nodes.max (0, 1, 2, 4, 8) × two windows.
        let all = evaluator.sweepPredictive(from: base, free: Set(Knob.allCases))
        #expect(all.count == 4 * 5 * 2)
        #expect(all.allSatisfy { $0.family == .predictive })
        #expect(evaluator.sweepPredictive(from: base, free: []).count == 1)
        #expect(evaluator.sweepPredictive(from: base, free: [.minIdleNodes]).count == 5)
    }

    @Test func frontierKeepsOnlyUnbeatenPointsCheapestFirst() {
        func point(_ cost: Double, _ served: Double) -> FamilyPoint {
            FamilyPoint(family: .reactive, setting: "\(cost)", cost: cost, servedFraction: served, worstDayServedFraction: served)
        }
        let frontier = FamilyPoint.frontier([point(30, 0.999), point(10, 0.99), point(20, 0.98), point(25, 0.9995), point(10, 0.95)])
        #expect(frontier.map(\.cost) == [10, 25])
    }

    @Test func chartDrawsOneLinePerFamilyAndTheObjective() throws {
        let points = [
            FamilyPoint(family: .predictive, setting: "a", cost: 10, servedFraction: 0.999, worstDayServedFraction: 0.998),
            FamilyPoint(family: .predictive, setting: "b", cost: 12, servedFraction: 0.9999, worstDayServedFraction: 0.9995),
            FamilyPoint(family: .static, setting: "nodes=3", cost: 15, servedFraction: 1, worstDayServedFraction: 1),
        ]
        let svg = FrontierChart.svg(points, title: "a <b> & c", target: 0.999)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
        #expect(svg.contains("stroke-dasharray"))
        #expect(svg.contains("a &lt;b&gt; &amp; c"))
        #expect(svg.contains(">99.9%<") && svg.contains(">99.9999%<"))
    }
}
