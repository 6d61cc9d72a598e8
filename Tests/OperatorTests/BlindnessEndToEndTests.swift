import FleetcastTesting
import Foundation
import KubeClient
import Logging
import Testing
import VirtualCluster
@testable import Operator

extension OperatorEndToEnd {
    /// A blind operator is loud: 503s on the pod and node list/watch (with the watches dropped) are
    /// warned about once the caches have been out of sync for the stale limit, repeated at most every
    /// five minutes, `/readyz`'s readiness turns false meanwhile, and the recovery is reported once.
    /// Time is the manual clock; the watchdog is asked to look after each step.
    @Suite struct BlindnessEndToEndTests {
        static let poolYAML = OperatorTestCluster.poolYAML(extra: "")

        @Test func staleCachesAreWarnedAboutRateLimitedAndRecoveryIsReported() async throws {
            let lines = LockedValue<[RecordingLogHandler.Line]>([])
            let environment = try await OperatorTestCluster.start(
                poolYAML: Self.poolYAML, retry: RetryPolicy(maxRetries: 1, initialDelay: 0.05, maxDelay: 0.1),
                logger: RecordingLogHandler.logger(lines))
            defer { Task { await environment.stop() } }
            let watches = environment.watches
            func said(_ level: Logger.Level, _ text: String) -> [RecordingLogHandler.Line] {
                lines.value.filter { $0.level == level && $0.message.contains(text) }
            }
            watches.watchdog.check()
            #expect(watches.readiness == .ready)

            let faults = environment.cluster.faults
            try await environment.blindPodsAndNodes()

            // Within the limit: nothing to say yet, still ready.
            try await environment.advance(59)
            watches.watchdog.check()
            #expect(said(.warning, "out of sync").isEmpty)
            #expect(watches.readiness == .ready)

            // At the limit: one warning per blind cache, naming the error; not ready.
            try await environment.advance(1)
            watches.watchdog.check()
            let warnings = said(.warning, "out of sync with the API server")
            #expect(Set(warnings.compactMap { $0.metadata["cache"] }) == ["pod", "node"])
            #expect(warnings.count == 2)
            #expect(warnings.allSatisfy { $0.metadata["error"]?.contains("503") == true }, "\(warnings)")
            #expect(watches.readiness == .blind(caches: ["pod", "node"]))
            #expect(watches.readiness.message.contains("pod, node"))

            // Still blind a minute later: not repeated; five minutes after the warning: repeated once.
            try await environment.advance(60)
            watches.watchdog.check()
            #expect(said(.warning, "out of sync").count == 2)
            try await environment.advance(240)
            watches.watchdog.check()
            #expect(said(.warning, "out of sync").count == 4)

            // The server recovers and the cluster moves on (a pod and a node appear; a resumed watch
            // counts as in sync from its first event): each cache says so once, and the operator is ready again.
            faults.clear()
            try await environment.createTrainingPod("after-outage", gpus: 1)
            try await environment.cluster.apply(manifestYAML: "apiVersion: v1\nkind: Node\nmetadata: {name: after-outage}\n", file: "node.yaml")
            try await eventually("the informers report they are in sync") {
                watches.pods.outOfSyncSince == nil && watches.nodes.outOfSyncSince == nil
            }
            watches.watchdog.check()
            watches.watchdog.check()
            let recovered = said(.notice, "back in sync")
            #expect(Set(recovered.compactMap { $0.metadata["cache"] }) == ["pod", "node"])
            #expect(recovered.count == 2)
            #expect(recovered.allSatisfy { Int($0.metadata["blindSeconds"] ?? "") ?? 0 >= 360 }, "\(recovered)")
            #expect(watches.readiness == .ready)
        }
    }
}
