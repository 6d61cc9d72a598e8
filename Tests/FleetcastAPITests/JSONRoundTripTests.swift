import FleetcastAPI
import Foundation
import KubeAPI
import Testing

@Suite("GPUPool JSON round trip")
struct JSONRoundTripTests {
    @Test func specAndStatusSurviveJSON() throws {
        var pool = Fixtures.pool
        pool.status = GPUPoolStatus(
            observedGeneration: 3,
            conditions: [Condition(type: GPUPoolConditionType.ready.rawValue, status: .true, observedGeneration: 3,
                                   lastTransitionTime: "2026-11-29T04:00:00Z", reason: GPUPoolConditionReason.reconciled.rawValue,
                                   message: "Plan applied.")],
            nodes: NodeCountsStatus(current: 5, ready: 4, starting: 1, desired: 6, idle: 1),
            demand: DemandStatus(gpus: 30, pendingGPUs: 2),
            forecast: ForecastStatus(peakGPUs: 41.5, peakAt: "2026-11-29T09:00:00Z", horizon: .minutes(20)),
            nextSchedule: NextScheduleStatus(name: "nightly-retrain", startsAt: "2026-11-30T01:00:00Z", gpus: 32),
            startup: StartupStatus(p50: .minutes(7), p90: KubeDuration(seconds: 610), samples: 12),
            cost: CostStatus(hourly: 163.85),
            lastScale: LastScaleStatus(time: "2026-11-29T03:55:00Z", from: 4, to: 5, reason: GPUPoolEventReason.scaledUp.rawValue)
        )
        let data = try JSONEncoder().encode(pool)
        #expect(try JSONDecoder().decode(GPUPool.self, from: data) == pool)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""p90":"10m10s""#))
        #expect(json.contains(#""apiVersion":"fleetcast.dev\/v1alpha1""#))
    }

    @Test func decodesDurationsFromGoSyntax() throws {
        let json = #"{"seasonalities":["24h","1.5h"],"history":"336h","step":"90s","quantile":0.9}"#
        let forecast = try JSONDecoder().decode(ForecastSpec.self, from: Data(json.utf8))
        #expect(forecast.seasonalities?.map(\.seconds) == [86_400, 5_400])
        #expect(forecast.step?.seconds == 90)
    }
}
