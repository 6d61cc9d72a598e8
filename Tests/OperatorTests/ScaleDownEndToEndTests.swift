import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// (c) Scale-down over the simulated infrastructure: the operator waits out the stabilization
    /// window, removes at most `maxNodesPerStep` nodes per reconcile, and holds nodes a declared
    /// schedule needs again within the lead time (embargo), releasing them once the window is over.
    @Suite struct ScaleDownEndToEndTests {
        /// Replicas of the target after each tick, with the tick's offset from the start.
        struct Sample: Hashable, CustomStringConvertible {
            var seconds: Int
            var replicas: Int
            var description: String { "\(seconds)s:\(replicas)" }
        }

        /// Five idle nodes, a 5-minute window and 2 nodes per step: 5 until 300 s, when two nodes are
        /// cordoned; 3 at 330 s once they stayed empty (`VictimMarking.settle`), then 1 and 0 the same way.
        @Test func scaleDownWaitsForTheStabilizationWindowAndGoesInSteps() async throws {
            let yaml = OperatorTestCluster.poolYAML(extra: """
                  startup: {expected: 2m}
                  scaleDown: {stabilizationWindow: 5m, maxNodesPerStep: 2}
                """)
            let environment = try await OperatorTestCluster.start(poolYAML: yaml, infrastructure: [OperatorTestCluster.simulatedPool(replicas: 5)])
            defer { Task { await environment.stop() } }
            try await environment.reconcile()
            var samples = [Sample(seconds: 0, replicas: try await environment.replicas())]
            for tick in 1...16 {
                try await environment.tick()
                samples.append(Sample(seconds: tick * 30, replicas: try await environment.replicas()))
                if tick == 5 {
                    let ready = try #require(try await environment.condition(.ready))
                    #expect(ready.message.contains("stabiliz"), "\(ready.message)")
                }
            }
            let waiting = samples.filter { $0.seconds <= 300 }
            #expect(waiting.allSatisfy { $0.replicas == 5 }, "\(samples)")
            #expect(samples.first { $0.seconds == 330 }?.replicas == 3, "\(samples)")
            #expect(Array(samples.map(\.replicas).uniqued()) == [5, 3, 1, 0], "\(samples)")
            #expect(try await environment.nodes().isEmpty)
            let scaledDown = try await environment.events().filter { $0.reason == "ScaledDown" }
            #expect(scaledDown.count == 3)
        }

        /// The window `retrain` opens at 08:20 for 10 minutes and needs 2 nodes; start-ups take 12
        /// minutes. From 08:02 (stabilization over) the pool may shrink (a node cordoned, gone a minute
        /// later once it stayed empty), but only to the 2 nodes the window needs; it holds them through the
        /// window and shrinks after it.
        @Test func scaleDownIsEmbargoedBeforeAScheduledWindow() async throws {
            let yaml = OperatorTestCluster.poolYAML(extra: """
                  startup: {expected: 12m}
                  scaleDown: {stabilizationWindow: 2m, maxNodesPerStep: 1}
                  schedules:
                  - {name: retrain, cron: "20 * * * *", duration: 10m, gpus: 16}
                """)
            let environment = try await OperatorTestCluster.start(poolYAML: yaml, infrastructure: [OperatorTestCluster.simulatedPool(replicas: 3)])
            defer { Task { await environment.stop() } }
            try await environment.reconcile()
            var samples = [Sample(seconds: 0, replicas: try await environment.replicas())]
            var embargoedAt: [Int] = []
            for tick in 1...37 {
                try await environment.tick(60)
                samples.append(Sample(seconds: tick * 60, replicas: try await environment.replicas()))
                if try await environment.condition(.ready)?.message.contains("retrain needs") == true { embargoedAt.append(tick * 60) }
            }
            let windowEnd = 30 * 60
            #expect(samples.filter { $0.seconds < 120 }.allSatisfy { $0.replicas == 3 }, "\(samples)")
            #expect(samples.filter { $0.seconds < windowEnd }.allSatisfy { $0.replicas >= 2 }, "\(samples)")
            #expect(samples.first { $0.seconds == 180 }?.replicas == 2, "\(samples)")
            #expect(!embargoedAt.isEmpty && embargoedAt.allSatisfy { $0 < 20 * 60 }, "\(embargoedAt)")
            let embargo = try #require(try await environment.events().first { $0.reason == "ScaleDownEmbargoed" })
            #expect(embargo.message?.contains("retrain") == true, "\(embargo.message ?? "")")
            // After the window, with nothing ahead within the lead time, the nodes go (after stabilizing).
            #expect(samples.last?.replicas == 0, "\(samples)")
            #expect(samples.filter { $0.seconds >= windowEnd + 180 }.allSatisfy { $0.replicas < 2 }, "\(samples)")
        }
    }
}

extension Sequence where Element: Hashable {
    /// The elements with consecutive repeats collapsed: [5, 5, 3, 3, 1] → [5, 3, 1].
    func uniqued() -> [Element] {
        reduce(into: []) { result, element in
            if result.last != element { result.append(element) }
        }
    }
}
