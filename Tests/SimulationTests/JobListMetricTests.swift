import Autoscaling
import Foundation
import Simulation
import Testing

/// A job list computed by hand: 4 GPUs per node, start-up 1 min, replay 10 min. J1 (2 GPUs, 0–10 min)
/// and J2 (4 GPUs, submitted at 1:00, runs 2 min). J2 never fits beside J1 on one node.
@Suite struct JobListMetricTests {
    let trace = JobTrace(jobs: [
        SimulatedJob(submit: 0, duration: 600, gpus: 2),
        SimulatedJob(submit: 60, duration: 120, gpus: 4),
    ], end: 600)

    @Test func reactiveMakesTheBigJobWaitForANewNode() {
        let setup = SimFixture.setup(.jobs(trace), policy: SimFixture.policy(gpusPerNode: 4, max: 4), startup: .fixed(60))
        let result = Simulator(setup: setup).run(.reactive).result
        // 1 node all along; a second requested at 1:00 (ready 2:00), idle from 4:00, never removed.
        let nodeSeconds: Double = 600 + 540
        #expect(SimFixture.close(result.nodeHours, nodeSeconds / 3600))
        // J2 waits 60 s: 240 GPU-seconds unmet out of 1200 + 720 demanded.
        #expect(SimFixture.close(result.unmetGPUHours, 240.0 / 3600))
        let served: Double = 1 - 240.0 / 1920
        #expect(SimFixture.close(result.servedFraction, served))
        #expect(SimFixture.close(result.gpuHoursUsed, 1680.0 / 3600))
        #expect(SimFixture.close(result.sloMinutesFraction, 0.9))
        #expect(result.coldStarts == 1)
        #expect(SimFixture.close(result.p95WaitSeconds, 57))  // waits [0, 60], interpolated
        #expect(result.scaleEvents == 1)
    }

    @Test func oracleHasTheNodeReadyWhenTheJobArrives() {
        let setup = SimFixture.setup(.jobs(trace), policy: SimFixture.policy(gpusPerNode: 4, max: 4), startup: .fixed(60))
        let result = Simulator(setup: setup).run(.oracle).result
        // The second node is requested at 0:00, ready at 1:00 and removed at 3:00 when J2 ends.
        let nodeSeconds: Double = 600 + 180
        #expect(SimFixture.close(result.nodeHours, nodeSeconds / 3600))
        #expect(result.unmetGPUHours == 0)
        #expect(result.coldStarts == 0)
        #expect(result.p95WaitSeconds == 0)
    }

    @Test func jobsThatNeverFitCountTheirWaitUntilTheEnd() {
        let big = JobTrace(jobs: [SimulatedJob(submit: 0, duration: 60, gpus: 12)], end: 300)
        let setup = SimFixture.setup(.jobs(big), policy: SimFixture.policy(gpusPerNode: 4, max: 2), startup: .fixed(60))
        let result = Simulator(setup: setup).run(.reactive).result
        #expect(result.p95WaitSeconds == 300)
        #expect(result.servedFraction == 0)
        #expect(result.coldStarts == 1)
    }
}
