import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// A Job labelled for a Kueue LocalQueue, `suspend` as Kueue leaves it before admission.
func queuedJob(_ name: String, gpus: Int = 8, parallelism: Int32? = 2, suspended: Bool = true, queue: String? = "team-a",
               labels: [String: String] = ["app": "train"], namespace: String = "gpu") -> Job {
    var metadata = ObjectMeta(name: name, namespace: namespace, labels: queue.map { [QueuedJobs.queueNameLabel: $0] })
    metadata.uid = "job-\(name)"
    let pod = PodSpec(containers: [Container(name: "train", resources: ResourceRequirements(requests: ["nvidia.com/gpu": "\(gpus)"]))])
    return Job(metadata: metadata, spec: JobSpec(parallelism: parallelism, suspend: suspended,
                                                 template: PodTemplateSpec(metadata: ObjectMeta(labels: labels), spec: pod)))
}

/// Queued demand (issue #21): Jobs Kueue holds suspended count as pending demand, once.
@Suite struct QueuedJobsTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var jobs: [Job]
        var expected: Double
        var description: String { name }
    }

    @Test(arguments: [
        Case(name: "queued: 2 pods × 8 GPUs", jobs: [queuedJob("a")], expected: 16),
        Case(name: "two queued jobs add up", jobs: [queuedJob("a"), queuedJob("b", gpus: 4, parallelism: 1)], expected: 20),
        // Admitted: Kueue unsuspended it, its pods are counted as pods, not here.
        Case(name: "admitted", jobs: [queuedJob("a", suspended: false)], expected: 0),
        // Suspended by hand, not by a queue manager: nothing will start it.
        Case(name: "suspended without a queue", jobs: [queuedJob("a", queue: nil)], expected: 0),
        Case(name: "outside the demand selector", jobs: [queuedJob("a", labels: ["app": "web"])], expected: 0),
        // Each pod is counted at most one node's worth (8).
        Case(name: "request above a node", jobs: [queuedJob("a", gpus: 32, parallelism: 1)], expected: 8),
    ])
    func queuedJobsArePendingDemand(_ test: Case) {
        #expect(QueuedJobs.gpus(of: test.jobs, spec: makePool().spec, nodes: []) == test.expected)
    }

    /// Two queued jobs of 16 GPUs: the pool asks for 4 nodes before Kueue admits them, and says why.
    @Test func reconcileScalesUpForQueuedJobs() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool())
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        harness.cache.state.withLock { $0.jobs = [queuedJob("a"), queuedJob("b")] }

        _ = try await harness.reconciler().reconcileAndSave(ObjectKey(namespace: "gpu", name: "a100"))

        #expect(harness.api.state.value.replicaWrites == [4])
        let status = try #require(try harness.api.status("a100"))
        #expect(status.demand == DemandStatus(gpus: 32, pendingGPUs: 32, queuedGPUs: 32))
    }

    @Test func disabledQueuedJobsAreNotDemand() async throws {
        let harness = ReconcilerHarness()
        var pool = makePool()
        pool.spec.discovery = DiscoverySpec(queuedJobs: .disabled)
        try harness.api.put(pool)
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        harness.cache.state.withLock { $0.jobs = [queuedJob("a")] }

        _ = try await harness.reconciler().reconcileAndSave(ObjectKey(namespace: "gpu", name: "a100"))

        #expect(harness.api.state.value.replicaWrites.isEmpty)
        #expect(try harness.api.status("a100")?.demand?.queuedGPUs == 0)
    }
}
