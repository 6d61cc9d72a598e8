import Cron
import FleetcastAPI
import KubeAPI
import Testing

/// One invalid spec per row: the mutation, the one error it must produce (printed as the API server
/// prints it), and why the rule exists.
struct InvalidSpecCase: CustomTestStringConvertible, Sendable {
    let mutate: @Sendable (inout GPUPoolSpec) -> Void
    let expected: String
    var testDescription: String { expected }

    init(_ expected: String, _ mutate: @escaping @Sendable (inout GPUPoolSpec) -> Void) {
        self.expected = expected
        self.mutate = mutate
    }
}

/// The Cron module owns the wording of parse errors; validation passes it through unchanged.
func cronMessage(_ text: String) -> String {
    do {
        _ = try CronExpression(parsing: text)
        return "(parsed)"
    } catch {
        return error.message
    }
}

@Suite("GPUPoolSpec.validate")
struct ValidationTests {
    @Test func fixtureIsValid() {
        #expect(Fixtures.spec.validate() == [])
        #expect(Fixtures.minimalSpec.validate() == [])
        #expect(Fixtures.pool.validate() == [])
    }

    static let invalidSpecs: [InvalidSpecCase] = [
        // nodes
        .init("spec.nodes.max: Invalid value: 0: must be greater than or equal to spec.nodes.min (1)") { $0.nodes.max = 0 },
        .init("spec.nodes.max: Invalid value: 0: must be greater than or equal to 1") { $0.nodes.min = 0; $0.nodes.max = 0 },
        .init("spec.nodes.max: Invalid value: 3: must be greater than or equal to spec.nodes.min (5)") {
            $0.nodes.min = 5; $0.nodes.max = 3; $0.warmPool = nil },
        .init("spec.nodes.min: Invalid value: -1: must be greater than or equal to 0") { $0.nodes.min = -1 },
        .init("spec.nodes.gpusPerNode: Invalid value: 0: must be greater than or equal to 1") { $0.nodes.gpusPerNode = 0 },
        .init("spec.nodes.hourlyCost: Invalid value: -1.5: must be greater than or equal to 0") {
            $0.nodes.hourlyCost = -1.5; $0.budget = nil },
        .init("spec.nodes.selector: Required value: an empty selector would select every Node") {
            $0.nodes.selector = LabelSelector() },
        .init("spec.nodes.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'") {
            $0.nodes.selector = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "pool", operator: .in)]) },
        .init("spec.nodes.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'") {
            $0.nodes.selector = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "pool", operator: .exists, values: ["a"])]) },
        // target
        .init("spec.target.name: Required value") { $0.target.name = "" },
        .init("spec.target.kind: Required value") { $0.target.kind = "" },
        .init("spec.target.apiVersion: Required value") { $0.target.apiVersion = "" },
        .init(#"spec.target.apiVersion: Invalid value: "cluster api/v1": must be "group/version" (e.g. cluster.x-k8s.io/v1beta2) or a core "version" (e.g. v1)"#) {
            $0.target.apiVersion = "cluster api/v1" },
        .init(#"spec.target.kind: Invalid value: "machineDeployment": must be a CamelCase kind such as MachineDeployment"#) {
            $0.target.kind = "machineDeployment" },
        .init(#"spec.target.name: Invalid value: "A100_Serving": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#) {
            $0.target.name = "A100_Serving" },
        .init(#"spec.target.namespace: Invalid value: "capi.fleet": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#) {
            $0.target.namespace = "capi.fleet" },
        .init("spec.target.namespace: Required value") { $0.target.namespace = "" },
        .init(#"spec.target.replicasPath: Invalid value: "spec.replicas": must be a dotted field path starting with '.', such as .spec.replicas"#) {
            $0.target.replicasPath = "spec.replicas" },
        .init(#"spec.target.replicasPath: Invalid value: ".spec..replicas": must be a dotted field path starting with '.', such as .spec.replicas"#) {
            $0.target.replicasPath = ".spec..replicas" },
        // demand
        .init("spec.demand.pods.selector: Required value: an empty selector would select every Pod") {
            $0.demand.pods.selector = LabelSelector(matchLabels: [:]) },
        .init(#"spec.demand.pods.resource: Invalid value: "nvidia.com/ gpu": must be a resource name such as nvidia.com/gpu"#) {
            $0.demand.pods.resource = "nvidia.com/ gpu" },
        .init("spec.demand.pods.resource: Required value") { $0.demand.pods.resource = "" },
        .init("spec.demand.prometheus.query: Required value: a PromQL expression is required") {
            $0.demand.prometheus = PrometheusDemandSpec(query: "  ") },
        .init("spec.demand.prometheus.historyQuery: Required value: a PromQL expression is required") {
            $0.demand.prometheus = PrometheusDemandSpec(query: "sum(x)", historyQuery: " ") },
        .init(#"spec.demand.prometheus.query: Invalid value: "\#(String(repeating: "x", count: 64))…": must be no more than 4096 bytes"#) {
            $0.demand.prometheus = PrometheusDemandSpec(query: String(repeating: "x", count: 4097)) },
        // forecast
        .init(#"spec.forecast.step: Invalid value: "0s": must be at least 10s"#) { $0.forecast?.step = .zero },
        .init(#"spec.forecast.history: Invalid value: "-1h0m0s": must be greater than 0"#) {
            $0.forecast?.history = .hours(-1); $0.forecast?.seasonalities = [] },
        .init("spec.forecast.quantile: Invalid value: 1: must be greater than 0 and less than 1") { $0.forecast?.quantile = 1 },
        .init("spec.forecast.quantile: Invalid value: 0: must be greater than 0 and less than 1") { $0.forecast?.quantile = 0 },
        .init(#"spec.forecast.seasonalities[1]: Invalid value: "168h0m0s": must be shorter than spec.forecast.history (48h0m0s)"#) {
            $0.forecast?.history = .hours(48) },
        .init(#"spec.forecast.seasonalities[1]: Duplicate value: "24h0m0s""#) { $0.forecast?.seasonalities = [.hours(24), .hours(24)] },
        .init(#"spec.forecast.seasonalities[0]: Invalid value: "0s": must be greater than 0"#) { $0.forecast?.seasonalities = [.zero] },
        .init(#"spec.forecast.seasonalities[0]: Invalid value: "1h0m0s": must be a whole multiple of spec.forecast.step (7m0s)"#) {
            $0.forecast?.seasonalities = [.hours(1)]; $0.forecast?.step = .minutes(7) },
        .init("spec.forecast.seasonalities: Too many: 9: must have at most 8 items") {
            $0.forecast?.seasonalities = (1...9).map { .hours(Int64($0)) } },
        .init(#"spec.forecast.seasonalities[1]: Invalid value: "168h0m0s": must be shorter than spec.forecast.history (100h0m0s)"#) {
            $0.forecast = ForecastSpec(history: .hours(100)) }, // default seasonalities judged against a short history
        // schedules
        .init(#"spec.schedules[1].name: Duplicate value: "nightly-retrain""#) {
            $0.schedules?.append(ScheduleSpec(name: "nightly-retrain", cron: "0 3 * * *", duration: .hours(1), gpus: 8)) },
        .init("spec.schedules[0].name: Required value") { $0.schedules?[0].name = "" },
        .init(#"spec.schedules[0].name: Invalid value: "Nightly": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#) {
            $0.schedules?[0].name = "Nightly" },
        .init("spec.schedules[0].cron: Required value") { $0.schedules?[0].cron = " " },
        .init(#"spec.schedules[0].cron: Invalid value: "0 2 * *": \#(cronMessage("0 2 * *"))"#) { $0.schedules?[0].cron = "0 2 * *" },
        .init(#"spec.schedules[0].cron: Invalid value: "0 25 * * *": \#(cronMessage("0 25 * * *"))"#) { $0.schedules?[0].cron = "0 25 * * *" },
        .init(#"spec.schedules[0].timeZone: Invalid value: "Mars/Olympus_Mons": unknown IANA time zone"#) {
            $0.schedules?[0].timeZone = "Mars/Olympus_Mons" },
        .init("spec.schedules[0].timeZone: Required value") { $0.schedules?[0].timeZone = "" },
        .init(#"spec.schedules[0].duration: Invalid value: "0s": must be greater than 0"#) { $0.schedules?[0].duration = .zero },
        .init(#"spec.schedules[0].duration: Invalid value: "-3h0m0s": must be greater than 0"#) { $0.schedules?[0].duration = .hours(-3) },
        .init("spec.schedules[0].gpus: Invalid value: 0: must be greater than or equal to 1") { $0.schedules?[0].gpus = 0 },
        // one-off windows and modes (issue #21)
        .init("spec.schedules[0].at: Forbidden: may not be set together with cron") { $0.schedules?[0].at = "2026-12-24T18:00:00Z" },
        .init("spec.schedules[0].cron: Required value: one of cron or at is required") { $0.schedules?[0].cron = nil },
        .init(#"spec.schedules[0].at: Invalid value: "Christmas eve": must be an RFC 3339 time such as 2026-12-24T18:00:00Z"#) {
            $0.schedules?[0].cron = nil; $0.schedules?[0].at = "Christmas eve" },
        .init("spec.schedules[0].gpus: Required value: required for mode Floor") { $0.schedules?[0].mode = .floor; $0.schedules?[0].gpus = nil },
        .init("spec.schedules[0].nodes: Forbidden: only for mode Cap") { $0.schedules?[0].nodes = 2 },
        .init("spec.schedules[0].nodes: Required value: required for mode Cap") { $0.schedules?[0].mode = .cap; $0.schedules?[0].gpus = nil },
        .init("spec.schedules[0].gpus: Forbidden: not used by mode Cap, which limits nodes") { $0.schedules?[0].mode = .cap; $0.schedules?[0].nodes = 0 },
        .init("spec.schedules[0].nodes: Invalid value: -1: must be greater than or equal to 0") {
            $0.schedules?[0].mode = .cap; $0.schedules?[0].gpus = nil; $0.schedules?[0].nodes = -1 },
        // warm pool
        .init("spec.warmPool.maxIdleNodes: Invalid value: 1: must be greater than or equal to spec.warmPool.minIdleNodes (2)") {
            $0.warmPool = WarmPoolSpec(minIdleNodes: 2, maxIdleNodes: 1) },
        .init("spec.warmPool.maxIdleNodes: Invalid value: 41: must be less than or equal to spec.nodes.max (40)") {
            $0.warmPool?.maxIdleNodes = 41 },
        .init("spec.warmPool.minIdleNodes: Invalid value: -1: must be greater than or equal to 0") { $0.warmPool?.minIdleNodes = -1 },
        .init("spec.warmPool.minIdleNodes: Invalid value: 50: must be less than or equal to spec.nodes.max (40)") {
            $0.warmPool = WarmPoolSpec(minIdleNodes: 50) },
        .init("spec.warmPool.minIdlePercent: Invalid value: 101: must be between 0 and 100") { $0.warmPool?.minIdlePercent = 101 },
        .init("spec.warmPool.minIdlePercent: Invalid value: -1: must be between 0 and 100") { $0.warmPool?.minIdlePercent = -1 },
        // start-up, scale-down
        .init(#"spec.startup.expected: Invalid value: "0s": must be greater than 0"#) { $0.startup?.expected = .zero },
        .init("spec.startup.quantile: Invalid value: 1.5: must be greater than 0 and less than 1") { $0.startup?.quantile = 1.5 },
        .init(#"spec.scaleDown.stabilizationWindow: Invalid value: "-15m0s": must be greater than or equal to 0"#) {
            $0.scaleDown?.stabilizationWindow = .minutes(-15) },
        .init("spec.scaleDown.maxNodesPerStep: Invalid value: 0: must be greater than or equal to 1") { $0.scaleDown?.maxNodesPerStep = 0 },
        // budget
        .init("spec.budget.maxHourlyCost: Invalid value: 0: must be greater than 0") { $0.budget = BudgetSpec(maxHourlyCost: 0) },
        .init("spec.nodes.hourlyCost: Required value: needed to enforce spec.budget") { $0.nodes.hourlyCost = nil },
        .init("spec.budget.maxHourlyCost: Invalid value: 50: must cover spec.nodes.min (2) nodes at spec.nodes.hourlyCost (32.77)") {
            $0.nodes.min = 2; $0.budget = BudgetSpec(maxHourlyCost: 50) },
    ]

    @Test(arguments: invalidSpecs)
    func reportsExactlyTheBrokenField(_ row: InvalidSpecCase) {
        var spec = Fixtures.spec
        row.mutate(&spec)
        #expect(spec.validate().map(\.description) == [row.expected])
    }

    /// Every mode and both timings validate when their fields are the ones the mode needs.
    @Test(arguments: [
        ScheduleSpec(name: "off-hours", cron: "0 20 * * 1-5", timeZone: "Europe/Berlin", duration: .hours(12), mode: .cap, nodes: 0),
        ScheduleSpec(name: "launch", at: "2026-12-24T18:00:00+01:00", duration: .hours(6), mode: .floor, gpus: 64),
        ScheduleSpec(name: "quarterly-eval", at: "2027-01-04T06:00:00Z", duration: .hours(4), gpus: 32),
    ])
    func schedulesOfEveryModeAreValid(_ schedule: ScheduleSpec) {
        var spec = Fixtures.spec
        spec.schedules?.append(schedule)
        #expect(spec.validate() == [])
    }

    @Test func reportsEveryErrorAtOnce() {
        var spec = Fixtures.spec
        spec.nodes.max = 0
        spec.forecast?.quantile = 2
        spec.schedules?[0].gpus = 0
        spec.target.name = ""
        let fields = spec.validate().map { $0.field.description }
        #expect(fields == [
            "spec.nodes.max", "spec.target.name", "spec.forecast.quantile", "spec.schedules[0].gpus",
        ])
    }

    @Test func metadataNameIsRequiredAndMustBeASubdomain() {
        var pool = Fixtures.pool
        pool.metadata.name = nil
        #expect(pool.validate().map(\.description) == ["metadata.name: Required value: name or generateName is required"])
        pool.metadata.name = "Bad Name"
        #expect(pool.validate().first?.field.description == "metadata.name")
    }

    @Test func errorsCarryStatusReasons() {
        var spec = Fixtures.spec
        spec.nodes.max = 0
        #expect(spec.validate().map(\.type) == [.invalid])
        #expect(spec.validate().map(\.statusCause.reason) == ["FieldValueInvalid"])
    }
}
