import FleetcastAPI
import Foundation
import KubeAPI
import Testing
import VirtualInfrastructure
@testable import Operator

extension OperatorEndToEnd {
    /// Queued demand end to end (issue #21): Jobs queued in Kueue (suspended, labelled with their
    /// LocalQueue) against the virtual cluster with Kueue's ClusterQueue and LocalQueue CRDs
    /// (hack/dev/crds) and the infrastructure's admission emulation.
    @Suite struct KueueEndToEndTests {
        /// A ClusterQueue with 16 GPUs of nominal quota for namespace `gpu`'s LocalQueue `team-a`.
        static let queues = """
            apiVersion: kueue.x-k8s.io/v1beta1
            kind: ClusterQueue
            metadata: {name: gpus}
            spec:
              namespaceSelector: {}
              resourceGroups:
              - coveredResources: [nvidia.com/gpu]
                flavors:
                - name: a100
                  resources:
                  - {name: nvidia.com/gpu, nominalQuota: 16}
            ---
            apiVersion: kueue.x-k8s.io/v1beta1
            kind: LocalQueue
            metadata: {name: team-a, namespace: gpu}
            spec: {clusterQueue: gpus}
            """

        static func queuedJob(_ name: String) -> String {
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: \(name), namespace: gpu, labels: {kueue.x-k8s.io/queue-name: team-a}}
            spec:
              suspend: true
              parallelism: 2
              template:
                metadata: {labels: {app: train}}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: train
                    image: trainer
                    resources: {requests: {nvidia.com/gpu: "8"}}
            """
        }

        /// Two queued jobs of 16 GPUs: the pool asks for 4 nodes before any pod exists; Kueue admits the
        /// first (its quota is 16) and the pool stops counting it as queued; once the quota is raised,
        /// the second is admitted too and nothing is queued.
        @Test func queuedJobsAreDemandUntilKueueAdmitsThem() async throws {
            let environment = try await OperatorTestCluster.start(
                poolYAML: OperatorTestCluster.poolYAML(), infrastructure: [OperatorTestCluster.simulatedPool()], manifests: Self.queues)
            defer { Task { await environment.stop() } }
            try await environment.cluster.apply(manifestYAML: Self.queuedJob("sweep-a") + "\n---\n" + Self.queuedJob("sweep-b"), file: "jobs.yaml")
            try await eventually("the Job cache holds both queued jobs") { environment.watches.jobs.list().count == 2 }

            try await environment.reconcile()
            #expect(try await environment.replicas() == 4)
            #expect(try await environment.pool().status?.demand?.queuedGPUs == 32)

            try await environment.advance(30)
            let suspended = { (name: String) async throws -> Bool? in
                let job = try JSONDecoder().decode(Job.self, from: try await environment.cluster.serve(
                    method: "GET", path: "/apis/batch/v1/namespaces/gpu/jobs/\(name)"))
                return job.spec?.suspend
            }
            #expect(try await suspended("sweep-a") == false)
            #expect(try await suspended("sweep-b") == true)
            let admitted = await environment.infrastructure?.events.filter { $0.kind == .jobAdmitted }.map(\.object)
            #expect(admitted == ["gpu/sweep-a"])
            try await eventually("the Job cache sees sweep-a admitted") {
                environment.watches.jobs.get(namespace: "gpu", name: "sweep-a")?.spec?.suspend == false
            }
            try await environment.reconcile()
            #expect(try await environment.pool().status?.demand?.queuedGPUs == 16)

            _ = try await environment.cluster.serve(
                method: "PATCH", path: "/apis/kueue.x-k8s.io/v1beta1/clusterqueues/gpus",
                body: Data(#"{"spec":{"resourceGroups":[{"coveredResources":["nvidia.com/gpu"],"flavors":[{"name":"a100","resources":[{"name":"nvidia.com/gpu","nominalQuota":"32"}]}]}]}}"#.utf8))
            try await environment.advance(30)
            #expect(try await suspended("sweep-b") == false)
            try await eventually("the Job cache sees sweep-b admitted") {
                environment.watches.jobs.get(namespace: "gpu", name: "sweep-b")?.spec?.suspend == false
            }
            try await environment.reconcile()
            #expect(try await environment.pool().status?.demand?.queuedGPUs == 0)
        }
    }
}
