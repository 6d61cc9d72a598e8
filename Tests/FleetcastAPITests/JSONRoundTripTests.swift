import FleetcastAPI
import Foundation
import KubeAPI
import Testing

@Suite("GPUPool JSON round trip")
struct JSONRoundTripTests {
    @Test func specAndStatusSurviveJSON() throws {
        let pool = Fixtures.poolWithStatus
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
