import FleetcastAPI
import KubeAPI
import Testing

@Suite("GPUPoolSpec.withDefaults")
struct DefaultsTests {
    @Test func fillsEveryDefaultedField() {
        let spec = Fixtures.minimalSpec.withDefaults()
        #expect(spec.mode == .active)
        #expect(spec.nodes.min == 0)
        #expect(spec.target.replicasPath == "")
        #expect(spec.target.semantics == .totalNodes)
        #expect(spec.demand.pods.resource == "nvidia.com/gpu")
        #expect(spec.forecast == ForecastSpec(seasonalities: [.hours(24), .hours(168)], history: .hours(336), step: .minutes(5), quantile: 0.95))
        #expect(spec.warmPool == WarmPoolSpec(minIdleNodes: 0, maxIdleNodes: nil))
        #expect(spec.startup == StartupSpec(expected: .minutes(10), quantile: 0.9))
        #expect(spec.scaleDown == ScaleDownSpec(stabilizationWindow: .minutes(15), maxNodesPerStep: 1))
        #expect(spec.budget == nil)
        #expect(spec.schedules == nil)
        #expect(spec.nodes.hourlyCost == nil)
    }

    @Test func keepsWhatWasSet() {
        #expect(Fixtures.spec.withDefaults() == Fixtures.spec)
    }

    @Test func isIdempotentAndKeepsValidity() {
        let once = Fixtures.minimalSpec.withDefaults()
        #expect(once.withDefaults() == once)
        #expect(once.validate() == [])
    }

    /// `demand.prometheus` stays absent when unset; when set, `use` defaults to History and an empty
    /// `historyQuery` means `query`.
    @Test func defaultsPrometheusUseAndHistoryQuery() {
        #expect(Fixtures.minimalSpec.withDefaults().demand.prometheus == nil)
        var spec = Fixtures.minimalSpec
        spec.demand.prometheus = PrometheusDemandSpec(query: "sum(q)", historyQuery: "")
        let defaulted = spec.withDefaults()
        #expect(defaulted.demand.prometheus?.use == .history)
        #expect(defaulted.demand.prometheus?.effectiveHistoryQuery == "sum(q)")
        #expect(defaulted.validate() == [])
        #expect(PrometheusDemandSpec(query: "a", historyQuery: "b", use: .historyAndLive).effectiveHistoryQuery == "b")
    }

    @Test func defaultsScheduleTimeZoneToUTC() {
        var spec = Fixtures.spec
        spec.schedules?[0].timeZone = nil
        #expect(spec.withDefaults().schedules?[0].timeZone == "UTC")
    }

    @Test func effectiveAccessorsMatchDefaults() {
        let spec = Fixtures.minimalSpec
        #expect(spec.effectiveMode == GPUPoolDefaults.mode)
        #expect(spec.effectiveStep.seconds == 300)
        #expect(spec.effectiveStartupExpected.seconds == 600)
        #expect(spec.effectiveMaxNodesPerStep == 1)
    }
}
