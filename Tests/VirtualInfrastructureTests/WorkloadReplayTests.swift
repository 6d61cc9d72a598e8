import Foundation
import KubeAPI
import Testing
import Traces
@testable import VirtualInfrastructure

@Suite("Workload replay")
struct WorkloadReplayTests {
    static let servegen = InfrastructureHarness.repositoryRoot
        .appendingPathComponent("../shared/data/traces/servegen_m_small_gpus_1min.csv").standardized.path

    @Test("replaying the ServeGen trace keeps requested GPUs equal to the trace at sampled instants")
    func demandFollowsTrace() async throws {
        let trace = try Trace(contentsOfFile: Self.servegen)
        guard case .demand(let series) = trace else {
            Issue.record("expected a demand series")
            return
        }
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(replicas: 4, boot: 0, gpuInit: 0)])
        defer { Task { await harness.shutdown() } }
        // One trace minute per cluster second: three trace hours in 180 steps.
        await harness.infrastructure.replay(WorkloadReplay(trace: trace, start: InfrastructureHarness.origin, speed: 60, podGPUs: 4,
                                                           nodeSelector: ["fleetcast.dev/pool": "gpu-a"]))
        var sampled = 0
        for second in stride(from: 0.0, through: 180, by: 1) {
            try await harness.step(to: second)
            guard Int(second) % 15 == 0 else { continue }
            let demand = try #require(series.gpus(at: series.start + second * 60))
            let requested = try await harness.pods().filter { !$0.isTerminal }.reduce(0) { $0 + $1.gpuRequest }
            #expect(requested == Int((demand / 4).rounded(.up)) * 4, "at trace second \(second * 60)")
            sampled += 1
        }
        #expect(sampled == 13)
        let times = await harness.infrastructure.events.podTimes()
        #expect(times.values.contains { $0.scheduled != nil })   // 32 GPUs of nodes: some run
        #expect(times.values.contains { $0.scheduled == nil })   // ~80 GPUs demanded: the rest wait
    }

    @Test("a job list creates one pod per job that runs for the job's duration from its start")
    func jobsRunForTheirDuration() async throws {
        let csv = "submit_seconds,duration_seconds,gpus\n0,600,8\n60,1200,8\n120,300,2\n"
        let trace = try Trace(csv: Array(csv.utf8), file: "jobs.csv")
        let harness = try await InfrastructureHarness.start(pools: [gpuPool(replicas: 1, boot: 0, gpuInit: 0)])
        defer { Task { await harness.shutdown() } }
        await harness.infrastructure.replay(WorkloadReplay(trace: trace, start: InfrastructureHarness.origin, speed: 60, namePrefix: "job"))
        try await harness.run(from: 0, to: 40)
        let times = await harness.infrastructure.events.podTimes()
        let origin = InfrastructureHarness.origin
        // Job 1 runs 0–10 s; job 2 (submitted at 1 s) waits for it and runs 20 s; job 3 (at 2 s) waits for job 2.
        #expect(times["default/job-000001"] == PodTimes(created: origin, scheduled: origin, finished: origin.addingTimeInterval(10)))
        #expect(times["default/job-000002"] == PodTimes(created: origin.addingTimeInterval(1), scheduled: origin.addingTimeInterval(10),
                                                        finished: origin.addingTimeInterval(30)))
        #expect(times["default/job-000003"]?.wait == 28)
    }

    @Test("the same seed gives the same event log; another seed a different one")
    func deterministic() async throws {
        func history(seed: UInt64) async throws -> [String] {
            let pool = NodePoolConfiguration(machineDeployment: "gpu-a", gpusPerNode: 8, labels: ["fleetcast.dev/pool": "gpu-a"],
                                             bootDelay: .logNormal(p50: 90, p90: 240), gpuInitDelay: .logNormal(p50: 30, p90: 90),
                                             initialReplicas: 3)
            let harness = try await InfrastructureHarness.start(pools: [pool], seed: seed)
            defer { Task { await harness.shutdown() } }
            let trace = try Trace(contentsOfFile: Self.servegen)
            await harness.infrastructure.replay(WorkloadReplay(trace: trace, start: InfrastructureHarness.origin, speed: 60, podGPUs: 8,
                                                               tolerations: []))
            try await harness.run(from: 0, to: 300, every: 5)
            return await harness.infrastructure.events.map(\.description)
        }
        let first = try await history(seed: 7)
        #expect(first.count > 10)
        #expect(try await history(seed: 7) == first)
        #expect(try await history(seed: 8) != first)
    }
}
