import FleetcastAPI
import KubeAPI
import Testing

/// Issue #18: every number in a spec has a documented bound (`GPUPoolLimits`), checked by
/// validation and published in the CRD, so a spec that validates cannot make the operator allocate
/// without limit or produce a status it cannot encode.
@Suite struct LimitsValidationTests {
    static let outOfRange: [InvalidSpecCase] = [
        .init(#"spec.forecast.step: Invalid value: "1ns": must be at least 10s"#) { $0.forecast?.step = KubeDuration(nanoseconds: 1) },
        .init(#"spec.forecast.step: Invalid value: "25h0m0s": must be at most 24h0m0s"#) {
            $0.forecast?.step = .hours(25); $0.forecast?.seasonalities = []; $0.forecast?.history = .hours(50) },
        .init(#"spec.forecast.history: Invalid value: "8785h0m0s": must be at most 8784h0m0s"#) {
            $0.forecast?.history = .hours(8_785); $0.forecast?.step = .hours(1) },
        .init(#"spec.forecast.history: Invalid value: "336h0m0s": must hold at most 50000 bins of spec.forecast.step (10s); use a longer step or a shorter history"#) {
            $0.forecast?.step = KubeDuration(nanoseconds: 10_000_000_000) },
        .init("spec.nodes.hourlyCost: Invalid value: 1e+308: must be less than or equal to 100000") {
            $0.nodes.hourlyCost = 1e308; $0.budget = nil },
        .init("spec.nodes.hourlyCost: Invalid value: \"nan\": must be a finite number") {
            $0.nodes.hourlyCost = .nan; $0.budget = nil },
        .init("spec.nodes.gpusPerNode: Invalid value: 1025: must be less than or equal to 1024") { $0.nodes.gpusPerNode = 1_025 },
        .init("spec.nodes.max: Invalid value: 10001: must be less than or equal to 10000") { $0.nodes.max = 10_001 },
        .init("spec.budget.maxHourlyCost: Invalid value: 1000000000000: must be less than or equal to 1000000000") {
            $0.budget = BudgetSpec(maxHourlyCost: 1e12) },
        .init(#"spec.schedules[0].duration: Invalid value: "745h0m0s": must be at most 744h0m0s"#) { $0.schedules?[0].duration = .hours(745) },
        .init("spec.schedules[0].gpus: Invalid value: 1000001: must be less than or equal to 1000000") { $0.schedules?[0].gpus = 1_000_001 },
        .init(#"spec.startup.expected: Invalid value: "25h0m0s": must be at most 24h0m0s"#) { $0.startup?.expected = .hours(25) },
        .init(#"spec.scaleDown.stabilizationWindow: Invalid value: "169h0m0s": must be at most 168h0m0s"#) {
            $0.scaleDown?.stabilizationWindow = .hours(169) },
        .init("spec.scaleDown.maxNodesPerStep: Invalid value: 10001: must be less than or equal to 10000") {
            $0.scaleDown?.maxNodesPerStep = 10_001 },
    ]

    @Test(arguments: outOfRange)
    func aValueOutsideItsBoundIsOneErrorAtItsField(_ row: InvalidSpecCase) {
        var spec = Fixtures.spec
        row.mutate(&spec)
        #expect(spec.validate().map(\.description) == [row.expected])
    }

    /// The bounds themselves are valid: a pool at every limit passes.
    @Test func aPoolAtEveryLimitIsValid() {
        var spec = Fixtures.spec
        spec.nodes.gpusPerNode = GPUPoolLimits.gpusPerNode.upperBound
        spec.nodes.max = GPUPoolLimits.nodes.upperBound
        spec.nodes.hourlyCost = GPUPoolLimits.maxNodeHourlyCost
        spec.budget = BudgetSpec(maxHourlyCost: GPUPoolLimits.maxBudgetPerHour)
        spec.forecast = ForecastSpec(seasonalities: [.hours(24)], history: .hours(8_784), step: .minutes(15), quantile: 0.95)
        spec.schedules?[0].duration = GPUPoolLimits.scheduleDuration.upperBound
        spec.schedules?[0].gpus = GPUPoolLimits.scheduleGPUs.upperBound
        spec.startup?.expected = GPUPoolLimits.startupExpected.upperBound
        spec.scaleDown = ScaleDownSpec(stabilizationWindow: GPUPoolLimits.stabilizationWindow.upperBound,
                                       maxNodesPerStep: GPUPoolLimits.nodes.upperBound)
        #expect(spec.validate() == [])
    }

    /// The CRD carries the same bounds, so the API server refuses what `fleetcast validate` refuses.
    @Test func theCRDPublishesTheBounds() throws {
        let crd = try GPUPoolCRD.yaml()
        #expect(crd.contains("maximum: 1024"))
        #expect(crd.contains("maximum: 10000"))
        #expect(crd.contains("maximum: 100000"))
        #expect(crd.contains("duration(self) >= duration('10s')"))
        #expect(crd.contains("duration(self) <= duration('8784h0m0s')"))
        #expect(crd.contains("<= 50000"))
    }
}
