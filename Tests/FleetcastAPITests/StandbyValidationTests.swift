import FleetcastAPI
import KubeAPI
import Testing

/// Issue #20: `spec.warmPool.standby` and `spec.warmPool.prePull`, each problem one error at its field.
@Suite struct StandbyValidationTests {
    static let digest = "sha256:" + String(repeating: "a", count: 64)

    static let invalid: [InvalidSpecCase] = [
        .init("spec.warmPool.standby.maxNodes: Invalid value: 1: must be greater than or equal to spec.warmPool.standby.minNodes (2)") {
            $0.warmPool?.standby?.minNodes = 2; $0.warmPool?.standby?.maxNodes = 1 },
        .init("spec.warmPool.standby.maxNodes: Invalid value: 41: must be less than or equal to spec.nodes.max (40)") {
            $0.warmPool?.standby?.maxNodes = 41 },
        .init("spec.warmPool.standby.maxNodes: Invalid value: -1: must be greater than or equal to 0") {
            $0.warmPool?.standby?.minNodes = 0; $0.warmPool?.standby?.maxNodes = -1 },
        .init("spec.warmPool.standby.minNodes: Invalid value: -1: must be greater than or equal to 0") { $0.warmPool?.standby?.minNodes = -1 },
        .init("spec.warmPool.standby.percent: Invalid value: 101: must be between 0 and 100") { $0.warmPool?.standby?.percent = 101 },
        .init("spec.warmPool.standby.hourlyCost: Invalid value: -1: must be greater than or equal to 0") { $0.warmPool?.standby?.hourlyCost = -1 },
        .init(#"spec.warmPool.standby.resume.expected: Invalid value: "2h0m0s": must be at most 1h0m0s"#) {
            $0.warmPool?.standby?.resume?.expected = .hours(2) },
        .init("spec.warmPool.standby.resume.quantile: Invalid value: 1: must be greater than 0 and less than 1") {
            $0.warmPool?.standby?.resume?.quantile = 1 },
        .init(#"spec.warmPool.standby.target.name: Invalid value: "a100-serving": must not name spec.target: standby nodes are held by an object of their own"#) {
            $0.warmPool?.standby?.target = $0.target },
        .init("spec.warmPool.standby.target.kind: Required value") { $0.warmPool?.standby?.target.kind = "" },
        .init("spec.budget.maxHourlyCost: Invalid value: 35: must cover spec.nodes.min (1) nodes and spec.warmPool.standby.minNodes (1) standby nodes at 3.3") {
            $0.budget = BudgetSpec(maxHourlyCost: 35) },
        .init(#"spec.warmPool.prePull.images[0]: Required value"#) { $0.warmPool?.prePull = PrePullSpec(images: [""]) },
        .init(#"spec.warmPool.prePull.images[0]: Invalid value: "Triton Server": must be an image reference such as nvcr.io/nvidia/tritonserver:24.08-py3"#) {
            $0.warmPool?.prePull = PrePullSpec(images: ["Triton Server"]) },
        .init(#"spec.warmPool.prePull.images[1]: Duplicate value: "ubuntu:24.04""#) {
            $0.warmPool?.prePull = PrePullSpec(images: ["ubuntu:24.04", "ubuntu:24.04"]) },
        .init("spec.warmPool.prePull.images: Too many: 17: must have at most 16 items") {
            $0.warmPool?.prePull = PrePullSpec(images: (0..<17).map { "registry.example:5000/team/model-\($0):v1" }) },
    ]

    @Test(arguments: invalid)
    func eachProblemIsOneErrorAtItsField(_ row: InvalidSpecCase) {
        var spec = Fixtures.standbySpec
        row.mutate(&spec)
        #expect(spec.validate().map(\.description) == [row.expected])
    }

    @Test(arguments: ["ubuntu", "nvcr.io/nvidia/tritonserver:24.08-py3", "localhost:5000/a/b_c.d-e:latest",
                      "ghcr.io/org/model@" + digest, "repo:tag@" + digest])
    func acceptsImageReferences(_ image: String) {
        var spec = Fixtures.standbySpec
        spec.warmPool?.prePull = PrePullSpec(images: [image])
        #expect(spec.validate() == [])
    }

    @Test func standbyValidatesDefaultsAndPricesItself() {
        let spec = Fixtures.standbySpec
        #expect(spec.validate() == [])
        #expect(spec.withDefaults() == spec)
        #expect(spec.effectiveStandbyHourlyCost == 3.3)
        var derived = spec
        derived.warmPool?.standby?.hourlyCost = nil
        #expect(derived.effectiveStandbyHourlyCost == 32.77 * GPUPoolDefaults.standbyCostFraction)
        derived.nodes.hourlyCost = nil
        derived.budget = nil
        #expect(derived.effectiveStandbyHourlyCost == nil)
        #expect(Fixtures.spec.effectiveStandby == nil)
        #expect(derived.validate() == [])
    }
}
