import FleetcastAPI
import Foundation
import Testing
import VirtualInfrastructure
@testable import FleetcastDev

/// The demo's timeline arithmetic and inputs, with explicit instants.
@Suite("fleetcast demo scenario")
struct DemoScenarioTests {
    static func instant(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? .distantPast
    }

    @Test("the window opens on the first whole UTC minute at least schedule-after seconds ahead", arguments: [
        ("2026-11-29T10:00:00Z", 150.0, "2026-11-29T10:03:00Z", "3 10 * * *"),
        ("2026-11-29T10:00:30Z", 150.0, "2026-11-29T10:03:00Z", "3 10 * * *"),
        ("2026-11-29T10:00:31Z", 150.0, "2026-11-29T10:04:00Z", "4 10 * * *"),
        ("2026-11-29T23:58:10Z", 60.0, "2026-11-30T00:00:00Z", "0 0 * * *"),
        ("2026-11-29T10:00:00Z", 0.0, "2026-11-29T10:00:00Z", "0 10 * * *"),
    ])
    func windowAndCron(start: String, after: Double, window: String, cron: String) throws {
        let scenario = try DemoScenario.make(
            start: Self.instant(start), pool: try Self.pool(), poolFile: "pool.yaml", infrastructure: Self.infrastructure,
            infraFile: "infra.yaml", timeline: Self.timeline(scheduleAfter: after))
        #expect(scenario.windowStart == Self.instant(window))
        #expect(scenario.schedule.cron == cron)
        #expect(scenario.schedule.timeZone == "UTC")
        #expect(scenario.pool.spec.schedules?.first?.cron == cron)
        #expect(scenario.end == Self.instant(window).addingTimeInterval(45))
    }

    @Test("the burst is exactly the schedule's GPUs while its window is open, on top of a base of at least one GPU")
    func burstOnTopOfBase() throws {
        let start = Self.instant("2026-11-29T10:00:00Z")
        let scenario = try DemoScenario.make(start: start, pool: try Self.pool(), poolFile: "pool.yaml",
                                             infrastructure: Self.infrastructure, infraFile: "infra.yaml",
                                             timeline: Self.timeline(scheduleAfter: 150))
        let opens = scenario.windowStart.timeIntervalSince(start)
        for (index, burst) in scenario.burst.enumerated() {
            let offset = Double(index) * scenario.demandStep
            let open = offset >= opens && offset < opens + 300
            #expect(burst == (open ? 16 : 0), "at \(offset) s")
            #expect(scenario.demand[index] - burst >= 1, "at \(offset) s")
            #expect(scenario.demand[index] - burst <= 10, "at \(offset) s")
        }
        #expect(scenario.podLabels == ["fleetcast.dev/pool": "demo-gpu"])
    }

    @Test("a pool without a schedule, or an infrastructure without its target, is an error naming the file")
    func unfitInputs() throws {
        var pool = try Self.pool()
        pool.spec.schedules = nil
        #expect(throws: DemoSetupError.self) {
            try DemoScenario.make(start: .now, pool: pool, poolFile: "pool.yaml", infrastructure: Self.infrastructure,
                                  infraFile: "infra.yaml", timeline: Self.timeline(scheduleAfter: 150))
        }
        let valid = try Self.pool()
        do {
            _ = try DemoScenario.make(start: .now, pool: valid, poolFile: "pool.yaml",
                                      infrastructure: InfrastructureConfiguration(), infraFile: "infra.yaml",
                                      timeline: Self.timeline(scheduleAfter: 150))
            Issue.record("an infrastructure without the target was accepted")
        } catch {
            #expect(error.description.hasPrefix("infra.yaml: pools: no machineDeployment default/demo-gpu"))
        }
    }

    static let infrastructure = InfrastructureConfiguration(pools: [
        NodePoolConfiguration(machineDeployment: "demo-gpu", gpusPerNode: 4, labels: ["fleetcast.dev/pool": "demo-gpu"]),
    ])

    static func timeline(scheduleAfter: Double) -> DemoScenario.Timeline {
        DemoScenario.Timeline(scheduleAfter: scheduleAfter, afterWindow: 45, speed: 120, seed: 7, baseGPUs: 10)
    }

    /// The repository's demo pool.
    static func pool() throws -> GPUPool {
        try #require(try loadValidGPUPools(fromFile: FleetcastBinary.repositoryRoot.appendingPathComponent("hack/demo/gpupool.yaml").path).first)
    }
}
