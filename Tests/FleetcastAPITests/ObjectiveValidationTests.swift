import FleetcastAPI
import KubeAPI
import Testing

/// Issue #19: `spec.objective` and `spec.warmPool.learnedMaxPercent`, each problem one error at its field.
@Suite struct ObjectiveValidationTests {
    static let invalid: [InvalidSpecCase] = [
        .init("spec.objective: Required value: give servedFraction, maxWait or both") { $0.objective = ObjectiveSpec(mode: .apply) },
        .init("spec.objective.servedFraction: Invalid value: 1: must be greater than 0 and less than 1") {
            $0.objective = ObjectiveSpec(servedFraction: 1) },
        .init(#"spec.objective.maxWait: Invalid value: "0s": must be at least 1s"#) { $0.objective = ObjectiveSpec(maxWait: .zero) },
        .init(#"spec.objective.maxWait: Invalid value: "25h0m0s": must be at most 24h0m0s"#) { $0.objective = ObjectiveSpec(maxWait: .hours(25)) },
        .init("spec.objective.waitQuantile: Invalid value: 0.9: needs spec.objective.maxWait") {
            $0.objective = ObjectiveSpec(servedFraction: 0.999, waitQuantile: 0.9) },
        .init("spec.objective.waitQuantile: Invalid value: 1.5: must be greater than 0 and less than 1") {
            $0.objective = ObjectiveSpec(maxWait: .minutes(2), waitQuantile: 1.5) },
        .init("spec.warmPool.learnedMaxPercent: Invalid value: 0: must be greater than or equal to 1") { $0.warmPool?.learnedMaxPercent = 0 },
        .init("spec.warmPool.learnedMaxPercent: Invalid value: 101: must be less than or equal to 100") { $0.warmPool?.learnedMaxPercent = 101 },
    ]

    @Test(arguments: invalid)
    func eachProblemIsOneErrorAtItsField(_ row: InvalidSpecCase) {
        var spec = Fixtures.spec
        if spec.warmPool == nil { spec.warmPool = WarmPoolSpec() }
        row.mutate(&spec)
        #expect(spec.validate().map(\.description) == [row.expected])
    }

    @Test func objectivesAndTheLearnedCapValidateAndDefault() {
        var spec = Fixtures.spec
        spec.objective = ObjectiveSpec(servedFraction: 0.999, maxWait: .minutes(2))
        spec.warmPool = WarmPoolSpec(learnedMaxPercent: 8)
        #expect(spec.validate().isEmpty)
        let defaulted = spec.withDefaults()
        #expect(defaulted.objective == ObjectiveSpec(servedFraction: 0.999, maxWait: .minutes(2), waitQuantile: 0.95, mode: .recommend))
        #expect(defaulted.warmPool?.learnedMaxPercent == 8)
        #expect(defaulted.validate().isEmpty)
        spec.objective = ObjectiveSpec(servedFraction: 0.99)
        #expect(spec.withDefaults().objective == ObjectiveSpec(servedFraction: 0.99, mode: .recommend))
    }
}
