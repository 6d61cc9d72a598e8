import KubeAPI

/// The schema of `spec.warmPool.standby` and `spec.warmPool.prePull`; see `StandbySpec` and `PrePullSpec`.
extension GPUPoolSchema {
    static var standby: Schema {
        var standbyTarget = target
        standbyTarget.description = "What holds the standby nodes (e.g. a CapacityBuffer with provisioningStrategy buffer.gke.io/standby-capacity, or a MachineDeployment of stopped nodes); same fields as spec.target, and never the same object."
        return Schema.object("Suspended capacity: nodes set up and stopped, resumed in tens of seconds instead of a cold start, billed at the standby price. Unset: no standby tier.",
                             required: ["maxNodes", "target"], [
            "minNodes": Schema.integer("Fewest standby nodes to keep.", minimum: 0, maximum: GPUPoolLimits.nodes.upperBound)
                .defaulted(.int(Int64(GPUPoolDefaults.standbyMinNodes))),
            "maxNodes": .integer("Most standby nodes; at most spec.nodes.max.", minimum: 0, maximum: GPUPoolLimits.nodes.upperBound),
            "percent": .integer("Standby capacity as a percentage of the planned GPUs, capped by maxNodes. Unset: sized from the forecast's spread alone.",
                                minimum: 0, maximum: 100),
            "hourlyCost": .number("Price of one standby node-hour (disk, address). Unset: 10% of spec.nodes.hourlyCost when that is set.",
                                  minimum: 0, maximum: GPUPoolLimits.maxNodeHourlyCost),
            "resume": learnedDelay("The resume time: how long a standby node takes to serve again.",
                                   expected: "Prior resume time, used until enough resumes have been observed.",
                                   within: GPUPoolLimits.resumeExpected, defaultExpected: GPUPoolDefaults.resumeExpected,
                                   quantile: "Quantile of observed resume times to plan for.", defaultQuantile: GPUPoolDefaults.resumeQuantile),
            "target": standbyTarget,
        ]).validated(Schema.Rule("!has(self.minNodes) || self.minNodes <= self.maxNodes",
                                 message: "must be greater than or equal to spec.warmPool.standby.minNodes",
                                 messageExpression: #""must be greater than or equal to spec.warmPool.standby.minNodes (" + string(self.minNodes) + ")""#,
                                 fieldPath: ".maxNodes"))
    }

    static var prePull: Schema {
        Schema.object("Images kept pulled on the pool's warm and standby nodes by a DaemonSet the operator owns.", required: ["images"], [
            "images": Schema.array("Image references, e.g. nvcr.io/nvidia/tritonserver:24.08-py3; unique.",
                                   of: .string("An image reference.", pattern: NamePatterns.imageReference,
                                               maxLength: GPUPoolLimits.maxImageReferenceLength),
                                   maxItems: GPUPoolLimits.maxPrePullImages).asSet(),
        ])
    }

    /// CEL: the standby target is another object than `spec.target` (namespaces default alike).
    static var standbyTargetDiffers: String {
        let standby = "self.warmPool.standby.target"
        return "!has(self.warmPool) || !has(self.warmPool.standby) || !(\(standby).apiVersion == self.target.apiVersion"
            + " && \(standby).kind == self.target.kind && \(standby).name == self.target.name"
            + " && (has(\(standby).namespace) ? \(standby).namespace : '') == (has(self.target.namespace) ? self.target.namespace : ''))"
    }
}
