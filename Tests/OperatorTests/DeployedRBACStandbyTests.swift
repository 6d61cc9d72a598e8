import Foundation
import KubeAPI
import KubeClient
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// The standby tier and image pre-pull with exactly the roles in `deploy/rbac/`: the operator, as the
    /// `fleetcast-operator` ServiceAccount, writes the standby CapacityBuffer and creates, replaces and
    /// deletes the pool's pre-pull DaemonSet; the DaemonSet grant is get, create, update and delete only.
    @Suite struct DeployedRBACStandbyTests {
        @Test func standbyTargetAndPrePullWorkWithTheDeployedRolesAndNoMore() async throws {
            let yaml = StandbyEndToEndTests.poolYAML + "\n    prePull: {images: [trainer]}"
            let (environment, client) = try await DeployedRBACTests.startEnforcingRBAC(poolYAML: yaml, manifests: StandbyEndToEndTests.manifests)
            defer { Task { await environment.stop() } }
            func reconcile() async throws {
                try await environment.cachesCaughtUp()
                _ = try await environment.reconciler(client: client, targetClient: client, identity: "rbac").reconcileAndSave(OperatorTestCluster.key)
            }
            func prePullImages() async throws -> [String]? {
                let daemonSet = try await environment.client.getIfPresent(KubeGPUPoolAPI.daemonSets, name: "a100-prepull", namespace: "gpu",
                                                                           as: JSONValue.self)
                return daemonSet?["spec"]?["template"]?["spec"]?["initContainers"]?.arrayValue?.compactMap { $0["image"]?.stringValue }
            }

            // The standby minimum is written to the standby buffer; the DaemonSet is created.
            try await reconcile()
            #expect(try await StandbyEndToEndTests.standbyReplicas(environment) == 2)
            #expect(try await prePullImages() == ["trainer"])
            let reasons = try await environment.eventReasons()
            #expect(reasons.contains("StandbyScaled") && reasons.contains("PrePullCreated"), "\(reasons)")
            #expect(!reasons.contains("StandbyFailed") && !reasons.contains("PrePullFailed"), "\(reasons)")

            // Other images: the DaemonSet is replaced.
            _ = try await environment.cluster.serve(method: "PATCH", path: "/apis/fleetcast.dev/v1alpha1/namespaces/gpu/gpupools/a100",
                                                   body: Data(#"{"spec":{"warmPool":{"prePull":{"images":["server"]}}}}"#.utf8))
            try await reconcile()
            #expect(try await prePullImages() == ["server"])
            #expect(try await environment.eventReasons().contains("PrePullUpdated"))

            // No pre-pull: the DaemonSet is deleted.
            _ = try await environment.cluster.serve(method: "PATCH", path: "/apis/fleetcast.dev/v1alpha1/namespaces/gpu/gpupools/a100",
                                                   body: Data(#"{"spec":{"warmPool":{"prePull":null}}}"#.utf8))
            try await reconcile()
            #expect(try await prePullImages() == nil)
            #expect(try await environment.eventReasons().contains("PrePullDeleted"))
            #expect(!(try await environment.eventReasons().contains("PrePullFailed")))

            // Not granted: listing or watching DaemonSets (the operator reads its own by name).
            await #expect {
                _ = try await client.list(KubeGPUPoolAPI.daemonSets, namespace: "gpu", options: ListOptions(), as: JSONValue.self)
            } throws: { DeployedRBACTests.isForbidden($0) }
        }
    }
}
