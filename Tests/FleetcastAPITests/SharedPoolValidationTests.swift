import FleetcastAPI
import KubeAPI
import Testing

/// Issue #13 parts C and E in the API: `spec.demand.pods.namespaceSelector` and
/// `spec.target.semantics: MinimumSize`, as `validate()` and the CRD schema judge them.
@Suite("Namespace selector and MinimumSize")
struct SharedPoolValidationTests {
    static let invalid: [InvalidSpecCase] = [
        .init("spec.demand.pods.namespaceSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'") {
            $0.demand.pods.namespaceSelector = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "team", operator: .in)]) },
        .init("spec.demand.pods.namespaceSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'") {
            $0.demand.pods.namespaceSelector = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "team", operator: .doesNotExist, values: ["a"])]) },
        .init("spec.demand.pods.namespaceSelector.matchExpressions[0].key: Required value") {
            $0.demand.pods.namespaceSelector = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "", operator: .exists)]) },
        .init(#"spec.demand.pods.namespaceSelector.matchLabels: Invalid value: "": label keys must not be empty"#) {
            $0.demand.pods.namespaceSelector = LabelSelector(matchLabels: ["": "ml"]) },
        .init(#"spec.target.kind: Unsupported value: "Deployment": supported values: "MachineDeployment", "MachineSet", "MachinePool""#) {
            $0.target.kind = "Deployment"; $0.target.semantics = .minimumSize },
        .init(#"spec.target.apiVersion: Invalid value: "autoscaling.x-k8s.io/v1beta1": must be in the cluster.x-k8s.io group when spec.target.semantics is MinimumSize"#) {
            $0.target.apiVersion = "autoscaling.x-k8s.io/v1beta1"; $0.target.kind = "CapacityBuffer"; $0.target.semantics = .minimumSize },
        .init("spec.target.replicasPath: Forbidden: may not be set when spec.target.semantics is MinimumSize (the min-size annotation is written instead)") {
            $0.target.replicasPath = ".spec.replicas"; $0.target.semantics = .minimumSize },
    ]

    @Test(arguments: invalid)
    func reportsTheBrokenField(_ row: InvalidSpecCase) {
        var spec = Fixtures.spec
        row.mutate(&spec)
        #expect(spec.validate().map(\.description) == [row.expected])
    }

    @Test("{} selects every namespace and is valid; so is a selector with terms, and MinimumSize on a MachineDeployment")
    func validShapes() {
        var spec = Fixtures.spec
        spec.demand.pods.namespaceSelector = LabelSelector()
        #expect(spec.validate() == [])
        spec.demand.pods.namespaceSelector = LabelSelector(matchLabels: ["fleetcast.dev/gpu-tenant": "true"],
                                                           matchExpressions: [LabelSelectorRequirement(key: "team", operator: .notIn, values: ["sandbox"])])
        #expect(spec.validate() == [])
        spec.target.semantics = .minimumSize
        #expect(spec.validate() == [])
    }

    @Test("the CRD takes namespaceSelector (empty allowed) and checks MinimumSize's target")
    func schema() throws {
        let pods = try #require(GPUPoolSchema.root.property("spec")?.property("demand")?.property("pods"))
        let namespaceSelector = try #require(pods.property("namespaceSelector"))
        #expect(namespaceSelector.rules.isEmpty, "an empty namespaceSelector means every namespace")
        #expect(namespaceSelector.property("matchExpressions") != nil)
        let target = try #require(GPUPoolSchema.root.property("spec")?.property("target"))
        #expect(target.property("semantics")?.enumValues.contains("MinimumSize") == true)
        #expect(target.rules.contains { $0.rule.contains("MinimumSize") && $0.fieldPath == ".semantics" })
        #expect(target.rules.contains { $0.rule.contains("MinimumSize") && $0.fieldPath == ".replicasPath" })
    }

    @Test("cluster-autoscaler's bounds are read as its clusterapi provider reads them")
    func autoscalerBounds() {
        let min = ClusterAutoscalerAnnotations.minSize, max = ClusterAutoscalerAnnotations.maxSize
        #expect(ClusterAutoscalerAnnotations.bounds(in: [:]) == .absent)
        #expect(ClusterAutoscalerAnnotations.bounds(in: [min: "2", max: "10"]) == .bounded(min: 2, max: 10))
        #expect(ClusterAutoscalerAnnotations.bounds(in: [max: "10"]) == .bounded(min: 0, max: 10))
        #expect(!ClusterAutoscalerAnnotations.bounds(in: [min: "2"]).autoscaled)
        #expect(!ClusterAutoscalerAnnotations.bounds(in: [min: "x", max: "10"]).autoscaled)
        #expect(!ClusterAutoscalerAnnotations.bounds(in: [min: "-1", max: "10"]).autoscaled)
        #expect(!ClusterAutoscalerAnnotations.bounds(in: [min: "5", max: "4"]).autoscaled)
    }
}
