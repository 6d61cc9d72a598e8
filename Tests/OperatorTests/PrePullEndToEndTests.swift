import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// Image pre-pull, end to end: the operator keeps a DaemonSet that pulls `spec.warmPool.prePull.images`
    /// on the pool's nodes; the virtual infrastructure runs it on every node and caches what its init
    /// containers pulled. Five nodes held by `nodes.min` are up before demand arrives; when it does, each
    /// pod pulls its image — four minutes cold, two seconds from the cache — and the learned ImagePull
    /// phase says which.
    @Suite struct PrePullEndToEndTests {
        static func learnedImagePull(prePull: Bool) async throws -> (p50: Double?, samples: Int?, environment: OperatorTestCluster) {
            let yaml = OperatorTestCluster.poolYAML(nodes: "min: 5\n    max: 10", extra: prePull ? """
                  warmPool: {prePull: {images: [trainer]}}
                """ : "")
            var simulated = OperatorTestCluster.simulatedPool(boot: 60, gpuInit: 30)
            simulated.imagePullDelay = .fixed(240)
            simulated.cachedImagePullDelay = .fixed(2)
            let environment = try await OperatorTestCluster.start(poolYAML: yaml, infrastructure: [simulated])
            try await environment.reconcile()
            #expect(try await environment.replicas() == 5)
            // Nodes Ready at 60 s; the pre-pull pods (if any) pull for 240 s.
            for _ in 1...12 { try await environment.tick() }
            for index in 1...5 { try await environment.createTrainingPod("server-\(index)", gpus: 8) }
            for _ in 1...10 { try await environment.tick() }
            let phases = try await environment.pool().status?.startup?.phases ?? []
            let pull = phases.first { $0.name == "ImagePull" }
            return (pull?.p50?.seconds, pull?.samples, environment)
        }

        @Test func prePulledImagesMakeTheLearnedImagePullPhaseShort() async throws {
            let (cold, coldSamples, without) = try await Self.learnedImagePull(prePull: false)
            defer { Task { await without.stop() } }
            #expect(cold == 240)
            #expect(coldSamples == 5)
            #expect(try await without.client.getIfPresent(KubeGPUPoolAPI.daemonSets, name: "a100-prepull", namespace: "gpu",
                                                          as: JSONValue.self) == nil)

            let (warm, warmSamples, with) = try await Self.learnedImagePull(prePull: true)
            defer { Task { await with.stop() } }
            #expect(warm == 2)
            #expect(warmSamples == 5)
            // The DaemonSet the operator keeps: owned by the pool, selecting its nodes, tolerating every taint.
            let daemonSet = try #require(try await with.client.getIfPresent(KubeGPUPoolAPI.daemonSets, name: "a100-prepull",
                                                                            namespace: "gpu", as: JSONValue.self))
            let owner = daemonSet["metadata"]?["ownerReferences"]?.arrayValue?.first
            #expect(owner?["kind"]?.stringValue == "GPUPool")
            #expect(owner?["uid"]?.stringValue == (try await with.pool().metadata.uid))
            let template = daemonSet["spec"]?["template"]?["spec"]
            #expect(template?["nodeSelector"]?["fleetcast.dev/pool"]?.stringValue == "a100")
            #expect(template?["initContainers"]?.arrayValue?.compactMap { $0["image"]?.stringValue } == ["trainer"])
            #expect(daemonSet["status"]?["numberReady"]?.numberValue == 5)
            #expect(try await with.eventReasons().contains("PrePullCreated"))

            // Removing pre-pull from the spec deletes the DaemonSet.
            _ = try await with.cluster.serve(method: "PATCH", path: "/apis/fleetcast.dev/v1alpha1/namespaces/gpu/gpupools/a100",
                                             body: Data(#"{"spec":{"warmPool":null}}"#.utf8))
            try await with.reconcile()
            #expect(try await with.client.getIfPresent(KubeGPUPoolAPI.daemonSets, name: "a100-prepull", namespace: "gpu",
                                                       as: JSONValue.self) == nil)
            #expect(try await with.eventReasons().contains("PrePullDeleted"))
        }
    }
}
