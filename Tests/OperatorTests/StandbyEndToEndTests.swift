import FleetcastAPI
import Foundation
import KubeAPI
import Testing
import VirtualInfrastructure
@testable import Operator

extension OperatorEndToEnd {
    /// The standby tier, end to end: the operator writes the plan's standby node count to a standby
    /// CapacityBuffer (GKE's `buffer.gke.io/standby-capacity`); the virtual infrastructure's node
    /// autoscaler creates those nodes, sets them up and suspends them (NotReady, unreachable-tainted);
    /// the operator counts them ready to resume, apart from its running nodes. A pod arrives, a suspended
    /// node resumes for it in the resume delay, and the operator learns that resume and reports it.
    @Suite struct StandbyEndToEndTests {
        static let manifests = """
            apiVersion: v1
            kind: PodTemplate
            metadata: {name: a100-node, namespace: gpu}
            template:
              spec:
                nodeSelector: {fleetcast.dev/pool: a100}
                containers:
                - name: main
                  image: registry.k8s.io/pause:3.10
                  resources: {limits: {nvidia.com/gpu: "8"}}
            ---
            apiVersion: autoscaling.x-k8s.io/v1alpha1
            kind: CapacityBuffer
            metadata: {name: a100-active, namespace: gpu}
            spec: {podTemplateRef: {name: a100-node}, replicas: 0}
            ---
            apiVersion: autoscaling.x-k8s.io/v1alpha1
            kind: CapacityBuffer
            metadata: {name: a100-standby, namespace: gpu}
            spec: {provisioningStrategy: buffer.gke.io/standby-capacity, podTemplateRef: {name: a100-node}, replicas: 0}
            """

        static let poolYAML = """
            apiVersion: fleetcast.dev/v1alpha1
            kind: GPUPool
            metadata: {name: a100, namespace: gpu}
            spec:
              nodes:
                selector: {matchLabels: {fleetcast.dev/pool: a100}}
                gpusPerNode: 8
                max: 6
                hourlyCost: 33
              target: {apiVersion: autoscaling.x-k8s.io/v1alpha1, kind: CapacityBuffer, name: a100-active, replicasPath: .spec.replicas, semantics: Headroom}
              demand:
                pods:
                  selector: {matchLabels: {app: train}}
              startup: {expected: 5m}
              warmPool:
                standby:
                  minNodes: 2
                  maxNodes: 3
                  resume: {expected: 35s}
                  target: {apiVersion: autoscaling.x-k8s.io/v1alpha1, kind: CapacityBuffer, name: a100-standby, replicasPath: .spec.replicas}
            """

        static func standbyReplicas(_ environment: OperatorTestCluster) async throws -> Int? {
            let data = try await environment.cluster.serve(method: "GET", path: "/apis/autoscaling.x-k8s.io/v1alpha1/namespaces/gpu/capacitybuffers/a100-standby")
            return try JSONDecoder().decode(JSONValue.self, from: data)["spec"]?["replicas"]?.numberValue.map { Int($0) }
        }

        @Test func theStandbyTargetHoldsSuspendedNodesThatResumeForAPodAndTheResumeIsLearned() async throws {
            var simulated = OperatorTestCluster.simulatedPool(boot: 60, gpuInit: 30)
            simulated.minReplicas = 0
            simulated.maxReplicas = 6
            simulated.nodeAutoscaler = NodeAutoscalerSettings(scaleDownUnneededTime: 3600)
            simulated.standby = StandbySettings(resumeDelay: .fixed(40), setupTime: 60)
            let environment = try await OperatorTestCluster.start(poolYAML: Self.poolYAML, infrastructure: [simulated], manifests: Self.manifests)
            defer { Task { await environment.stop() } }

            // The plan holds the standby minimum; the operator writes it to the standby buffer.
            try await environment.reconcile()
            #expect(try await Self.standbyReplicas(environment) == 2)
            #expect(try await environment.eventReasons().contains("StandbyScaled"))
            // Two nodes are created, boot (60 s), get GPUs (30 s), set up (60 s) and are suspended.
            for _ in 1...8 { try await environment.tick() }
            let nodes = try await environment.nodes()
            let suspended = nodes.filter(StandbyResumeTracker.isSuspended)
            #expect(suspended.count == 2)
            let status = try #require(try await environment.pool().status)
            #expect(status.standby?.desired == 2)
            #expect(status.standby?.readyToResume == 2)
            #expect(status.standby?.resumeTime?.seconds == 35)
            // Suspended nodes are not running capacity, and cost the standby price (default 10 % of 33).
            #expect(status.nodes?.current == nodes.count - 2)
            let hourly = try #require(status.cost?.hourly)
            #expect(abs(hourly - (Double(nodes.count - 2) * 33 + 2 * 3.3)) < 1e-9, "\(hourly)")

            // A pod arrives; a suspended node resumes for it (40 s) long before a new node could boot.
            try await environment.createTrainingPod("server-1", gpus: 8)
            try await environment.advance(1)
            try await environment.tick(30)
            #expect(try await environment.pods().first { $0.metadata.name == "server-1" }?.spec?.nodeName == nil)
            try await environment.tick(30)
            let server = try #require(try await environment.pods().first { $0.metadata.name == "server-1" })
            let resumedNode = try #require(server.spec?.nodeName)
            #expect(suspended.contains { $0.metadata.name == resumedNode })
            let learned = try #require(try await environment.pool().status?.standby)
            #expect(learned.resumeSamples == 1)
            // Asked at the pod's creation, Ready 41 s later (the infrastructure stepped 1 s after it).
            #expect(learned.resumeP50?.seconds == 41)
            #expect(try await environment.eventReasons().contains("StandbyResumed"))
            // The buffer, one short, refills: the standby target still asks for two.
            #expect(try await Self.standbyReplicas(environment) == 2)
        }
    }
}
