import KubeAPI

extension GPUPool {
    /// Every problem with the object's name and spec, at once. The status is not validated: it is the
    /// operator's output, not user input.
    public func validate() -> [FieldError] {
        var checks = FieldChecks()
        let name = metadata.name ?? ""
        if name.isEmpty {
            if (metadata.generateName ?? "").isEmpty {
                checks.errors.append(.required(FieldPath("metadata").child("name"), "name or generateName is required"))
            }
        } else {
            checks.matches(
                name, FieldPath("metadata").child("name"), pattern: NamePatterns.dnsSubdomain,
                maxLength: NamePatterns.dnsSubdomainMaxLength, message: NamePatterns.dnsSubdomainMessage)
        }
        return checks.errors + spec.validate()
    }
}

extension GPUPoolSpec {
    /// Every problem with the spec, each with its field path and a reason worded like the API server's
    /// (`spec.nodes.max: Invalid value: 0: must be greater than or equal to spec.nodes.min (1)`).
    /// Omitted fields are judged by their defaults, so a spec is valid before and after `withDefaults()`.
    public func validate() -> [FieldError] {
        let spec = FieldPath("spec")
        var checks = FieldChecks()
        checks.validateNodes(nodes, at: spec.child("nodes"))
        checks.validateTarget(target, at: spec.child("target"))
        checks.validateDemand(demand, at: spec.child("demand"))
        checks.validateForecast(of: self, at: spec.child("forecast"))
        checks.validateSchedules(schedules ?? [], at: spec.child("schedules"))
        checks.validateWarmPool(of: self, at: spec.child("warmPool"))
        checks.validateStartup(of: self, at: spec.child("startup"))
        checks.validateScaleDown(of: self, at: spec.child("scaleDown"))
        checks.validateBudget(of: self, at: spec.child("budget"))
        checks.validateLearnedWarmPool(of: self, at: spec.child("warmPool"))
        checks.validateStandby(of: self, at: spec.child("warmPool").child("standby"))
        checks.validatePrePull(warmPool?.prePull, at: spec.child("warmPool").child("prePull"))
        if let objective { checks.validateObjective(objective, at: spec.child("objective")) }
        return checks.errors
    }
}

extension FieldChecks {
    mutating func validateNodes(_ nodes: NodesSpec, at path: FieldPath) {
        selector(nodes.selector, path.child("selector"), selects: "Node")
        within(nodes.gpusPerNode, GPUPoolLimits.gpusPerNode, path.child("gpusPerNode"))
        let min = nodes.min ?? GPUPoolDefaults.minNodes
        within(min, GPUPoolLimits.nodes, path.child("min"))
        if nodes.max < min, min >= 1 {
            errors.append(.invalid(
                path.child("max"), .int(Int64(nodes.max)),
                "must be greater than or equal to spec.nodes.min (\(min))"))
        } else {
            within(nodes.max, 1...GPUPoolLimits.nodes.upperBound, path.child("max"))
        }
        if let cost = nodes.hourlyCost {
            within(cost, 0...GPUPoolLimits.maxNodeHourlyCost, path.child("hourlyCost"))
        }
    }

    mutating func validateTarget(_ target: ScaleTargetSpec, at path: FieldPath) {
        required(target.apiVersion, path.child("apiVersion"), pattern: NamePatterns.apiVersion,
                 message: "must be \"group/version\" (e.g. cluster.x-k8s.io/v1beta2) or a core \"version\" (e.g. v1)")
        required(target.kind, path.child("kind"), pattern: NamePatterns.kind,
                 message: "must be a CamelCase kind such as MachineDeployment")
        required(target.name, path.child("name"), pattern: NamePatterns.dnsSubdomain,
                 maxLength: NamePatterns.dnsSubdomainMaxLength, message: NamePatterns.dnsSubdomainMessage)
        if let namespace = target.namespace {
            required(namespace, path.child("namespace"), pattern: NamePatterns.dnsLabel,
                     maxLength: NamePatterns.dnsLabelMaxLength, message: NamePatterns.dnsLabelMessage)
        }
        if let replicasPath = target.replicasPath, !replicasPath.isEmpty {
            matches(replicasPath, path.child("replicasPath"), pattern: NamePatterns.replicasPath,
                    message: "must be a dotted field path starting with '.', such as .spec.replicas")
        }
        if target.semantics == .minimumSize {
            validateMinimumSizeTarget(target, at: path)
        }
    }

    /// MinimumSize writes cluster-autoscaler's Cluster API min-size annotation, which cluster-autoscaler
    /// reads only on the kinds its clusterapi provider scales, and never a replicas field. Whether the
    /// object carries the annotations is known only in the cluster (the operator checks it).
    mutating func validateMinimumSizeTarget(_ target: ScaleTargetSpec, at path: FieldPath) {
        let kinds = ClusterAutoscalerAnnotations.scalableKinds
        if !target.apiVersion.hasPrefix("cluster.x-k8s.io/") {
            errors.append(.invalid(path.child("apiVersion"), .string(target.apiVersion),
                                   "must be in the cluster.x-k8s.io group when spec.target.semantics is MinimumSize"))
        } else if !kinds.contains(target.kind) {
            errors.append(.notSupported(path.child("kind"), .string(target.kind), supported: kinds))
        }
        if let replicasPath = target.replicasPath, !replicasPath.isEmpty {
            errors.append(.forbidden(path.child("replicasPath"),
                                     "may not be set when spec.target.semantics is MinimumSize (the min-size annotation is written instead)"))
        }
    }

    mutating func validateDemand(_ demand: DemandSpec, at path: FieldPath) {
        let pods = path.child("pods")
        selector(demand.pods.selector, pods.child("selector"), selects: "Pod")
        if let namespaceSelector = demand.pods.namespaceSelector {
            selectorTerms(namespaceSelector, pods.child("namespaceSelector"))
        }
        if let resource = demand.pods.resource {
            required(resource, pods.child("resource"), pattern: NamePatterns.resourceName,
                     message: "must be a resource name such as nvidia.com/gpu")
        }
        if let prometheus = demand.prometheus {
            let prometheusPath = path.child("prometheus")
            promQL(prometheus.query, prometheusPath.child("query"), required: true)
            if let historyQuery = prometheus.historyQuery {
                promQL(historyQuery, prometheusPath.child("historyQuery"), required: false)
            }
        }
    }

    /// A PromQL expression: not blank, at most `GPUPoolLimits.maxPromQLLength` characters, on one
    /// logical expression (no NUL). Its syntax is Prometheus's to judge; its errors reach the pool's
    /// `HistoryAvailable` condition as Prometheus words them.
    mutating func promQL(_ text: String, _ path: FieldPath, required: Bool) {
        if text.allSatisfy(\.isWhitespace) {
            if required || !text.isEmpty { errors.append(.required(path, "a PromQL expression is required")) }
        } else if text.utf8.count > GPUPoolLimits.maxPromQLLength {
            errors.append(.invalid(path, .string(String(text.prefix(64)) + "…"), "must be no more than \(GPUPoolLimits.maxPromQLLength) bytes"))
        } else if text.contains("\u{0}") {
            errors.append(.invalid(path, .string(text), "must not contain NUL characters"))
        }
    }
}
