import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// The reconciler with CronJob discovery (issue #21): a discovered schedule drives the plan like a
/// declared one, is listed in status with its source, and a bad CronJob is named, not fatal.
@Suite struct DiscoveredScheduleReconcileTests {
    let key = ObjectKey(namespace: "gpu", name: "a100")

    /// ManualClock's origin is 08:00 UTC; the CronJob fires at 08:10 with 2 pods of 8 GPUs, and nodes
    /// take 12 minutes: the pool scales to 2 nodes now, before any of its pods exists.
    @Test func scalesUpAheadOfADiscoveredCronJob() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool())
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        harness.cache.state.withLock { $0.cronJobs = [retrainCronJob(schedule: "10 8 * * *", deadline: 1800)] }

        _ = try await harness.reconciler().reconcileAndSave(key)

        #expect(harness.api.state.value.replicaWrites == [2])
        let status = try #require(try harness.api.status("a100"))
        #expect(status.discoveredSchedules == [DiscoveredScheduleStatus(
            name: "gpu/retrain", source: "CronJob gpu/retrain", cron: "10 8 * * *", timeZone: "UTC", duration: .minutes(30), gpus: 16,
            durationSource: "ActiveDeadlineSeconds")])
        #expect(status.nextSchedule?.name == "gpu/retrain")
        #expect(status.condition(.schedulesDiscovered)?.status == .true)
        #expect(status.condition(.schedulesDiscovered)?.message == "1 CronJob is a schedule of this pool.")
        #expect(status.condition(.ready)?.message.contains("gpu/retrain needs 16 GPUs at 08:10 UTC") == true)
    }

    @Test func unparsableCronJobIsNamedInTheConditionAndSkipped() async throws {
        let harness = ReconcilerHarness()
        try harness.api.put(makePool())
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        harness.cache.state.withLock {
            $0.cronJobs = [retrainCronJob("broken", schedule: "*/0 * * * *"), retrainCronJob("nightly", schedule: "0 2 * * *")]
        }

        _ = try await harness.reconciler().reconcileAndSave(key)

        let status = try #require(try harness.api.status("a100"))
        #expect(status.discoveredSchedules?.map(\.name) == ["gpu/nightly"])
        let condition = try #require(status.condition(.schedulesDiscovered))
        #expect(condition.status == .false)
        #expect(condition.reason == "InvalidCronJob")
        #expect(condition.message.hasPrefix(#"Skipped CronJob gpu/broken: spec.schedule "*/0 * * * *": "#) == true)
        #expect(condition.message.hasSuffix("; 1 CronJob is a schedule of this pool.") == true)
        #expect(status.condition(.ready)?.status == .true)
    }

    @Test func disabledDiscoveryIgnoresCronJobs() async throws {
        let harness = ReconcilerHarness()
        var pool = makePool()
        pool.spec.discovery = DiscoverySpec(cronJobs: .disabled)
        try harness.api.put(pool)
        harness.api.state.withLock { $0.replicas["a100"] = 0 }
        harness.cache.state.withLock { $0.cronJobs = [retrainCronJob(schedule: "10 8 * * *")] }

        _ = try await harness.reconciler().reconcileAndSave(key)

        #expect(harness.api.state.value.replicaWrites.isEmpty)
        let status = try #require(try harness.api.status("a100"))
        #expect(status.discoveredSchedules == [])
        #expect(status.condition(.schedulesDiscovered)?.reason == "DiscoveryDisabled")
    }
}
