import KubeAPI

/// The GPUPool v1alpha1 schema: the single description the CRD is generated from and manifests are
/// checked against. Defaults come from `GPUPoolDefaults`, limits and patterns from `GPUPoolLimits` and
/// `NamePatterns`, and the CEL rules mirror the cross-field checks in `GPUPoolSpec.validate()`.
public enum GPUPoolSchema {
    public static var root: Schema {
        .object("GPUPool is a pool of identical GPU nodes that Fleetcast scales ahead of forecast demand.", required: ["spec"], [
            "apiVersion": .string("APIVersion defines the versioned schema of this representation of an object."),
            "kind": .string("Kind is a string value representing the REST resource this object represents."),
            "metadata": .opaqueObject("Standard object metadata."),
            "spec": spec,
            "status": GPUPoolStatusSchema.status,
        ])
    }

    static var spec: Schema {
        Schema.object("The desired behaviour of the pool.", required: ["nodes", "target", "demand"], [
            "mode": Schema.enumeration("Active sets the target's replicas; ForecastOnly computes and publishes the plan but never actuates.", PoolMode.self)
                .defaulted(.string(GPUPoolDefaults.mode.rawValue)),
            "nodes": nodes,
            "target": target,
            "demand": demand,
            "forecast": forecast,
            "schedules": Schema.array("Demand known in advance (retraining, batch windows), added on top of the learned forecast.",
                                      of: schedule, maxItems: GPUPoolLimits.maxSchedules).keyed(by: "name"),
            "warmPool": warmPool,
            "startup": startup,
            "scaleDown": scaleDown,
            "budget": budget,
            "discovery": Schema.object("Schedules found in the cluster rather than declared.", [
                "cronJobs": Schema.enumeration("Enabled: CronJobs whose pods request the pool's GPU resource and would land on its nodes become schedules, listed in status.discoveredSchedules.", DiscoveryMode.self)
                    .defaulted(.string(GPUPoolDefaults.cronJobDiscovery.rawValue)),
                "queuedJobs": Schema.enumeration("Enabled: Jobs a queue manager holds suspended (label kueue.x-k8s.io/queue-name) whose pods would run on the pool count as pending demand, at full weight.", DiscoveryMode.self)
                    .defaulted(.string(GPUPoolDefaults.queuedJobDiscovery.rawValue)),
            ]).defaulted(.object([:])),
            "objective": objective,
        ]).validated(
            Schema.Rule("!has(self.warmPool) || !has(self.warmPool.minIdleNodes) || self.warmPool.minIdleNodes <= self.nodes.max",
                        message: "must be less than or equal to spec.nodes.max",
                        messageExpression: #""must be less than or equal to spec.nodes.max (" + string(self.nodes.max) + ")""#,
                        fieldPath: ".warmPool.minIdleNodes"),
            Schema.Rule("!has(self.warmPool) || !has(self.warmPool.maxIdleNodes) || self.warmPool.maxIdleNodes <= self.nodes.max",
                        message: "must be less than or equal to spec.nodes.max",
                        messageExpression: #""must be less than or equal to spec.nodes.max (" + string(self.nodes.max) + ")""#,
                        fieldPath: ".warmPool.maxIdleNodes"),
            Schema.Rule("!has(self.warmPool) || !has(self.warmPool.standby) || self.warmPool.standby.maxNodes <= self.nodes.max",
                        message: "must be less than or equal to spec.nodes.max",
                        messageExpression: #""must be less than or equal to spec.nodes.max (" + string(self.nodes.max) + ")""#,
                        fieldPath: ".warmPool.standby.maxNodes"),
            Schema.Rule(standbyTargetDiffers, message: "must not name spec.target: standby nodes are held by an object of their own",
                        fieldPath: ".warmPool.standby.target.name"),
            Schema.Rule("!has(self.budget) || has(self.nodes.hourlyCost)",
                        message: "spec.nodes.hourlyCost is required to enforce spec.budget", fieldPath: ".nodes.hourlyCost"),
            Schema.Rule("!has(self.budget) || !has(self.nodes.hourlyCost) || double(has(self.nodes.min) ? self.nodes.min : 0) * self.nodes.hourlyCost <= self.budget.maxHourlyCost",
                        message: "must cover spec.nodes.min nodes at spec.nodes.hourlyCost", fieldPath: ".budget.maxHourlyCost")
        )
    }

    static var nodes: Schema {
        Schema.object("Which nodes make up the pool and how far it may scale.", required: ["selector", "gpusPerNode", "max"], [
            "selector": labelSelector(selecting: "Node"),
            "gpusPerNode": .integer("GPUs one node contributes; converts GPU demand into nodes.",
                                    minimum: GPUPoolLimits.gpusPerNode.lowerBound, maximum: GPUPoolLimits.gpusPerNode.upperBound),
            "min": Schema.integer("Fewest nodes to keep, whatever the forecast says.", minimum: 0, maximum: GPUPoolLimits.nodes.upperBound)
                .defaulted(.int(Int64(GPUPoolDefaults.minNodes))),
            "max": .integer("Most nodes the pool may have.", minimum: 1, maximum: GPUPoolLimits.nodes.upperBound),
            "hourlyCost": .number("Price of one node-hour; enables cost status and spec.budget.", minimum: 0,
                                  maximum: GPUPoolLimits.maxNodeHourlyCost),
        ]).validated(Schema.Rule("!has(self.min) || self.min <= self.max",
                                 message: "must be greater than or equal to spec.nodes.min",
                                 messageExpression: #""must be greater than or equal to spec.nodes.min (" + string(self.min) + ")""#,
                                 fieldPath: ".max"))
    }

    static var target: Schema {
        Schema.object("The object whose replica count Fleetcast sets, in spec.target.namespace (default: the pool's namespace).", required: ["apiVersion", "kind", "name"], [
            "apiVersion": .string("API version of the target, e.g. cluster.x-k8s.io/v1beta2.", pattern: NamePatterns.apiVersion, maxLength: 316),
            "kind": .string("Kind of the target, e.g. MachineDeployment.", pattern: NamePatterns.kind, maxLength: 63),
            "name": .string("Name of the target.", pattern: NamePatterns.dnsSubdomain, maxLength: NamePatterns.dnsSubdomainMaxLength),
            "namespace": .string("Namespace of the target. Default: the pool's namespace. With --target-kubeconfig, a namespace of the management cluster.",
                                 pattern: NamePatterns.dnsLabel, maxLength: NamePatterns.dnsLabelMaxLength),
            "replicasPath": Schema.string("Empty: scale through the target's /scale subresource. Otherwise the field path merge-patched with the replica count, e.g. .spec.replicas.",
                                          pattern: NamePatterns.replicasPath, maxLength: 256)
                .defaulted(.string(GPUPoolDefaults.replicasPath)),
            "semantics": Schema.enumeration("TotalNodes: replicas are the pool's node count. Headroom: replicas are spare nodes held on top of what current demand fills. MinimumSize: the planned node count is written to the target's cluster-autoscaler min-size annotation, not its replicas.", TargetSemantics.self)
                .defaulted(.string(GPUPoolDefaults.semantics.rawValue)),
        ]).validated(
            Schema.Rule("!has(self.semantics) || self.semantics != 'MinimumSize' || (self.apiVersion.startsWith('cluster.x-k8s.io/') && self.kind in [\(ClusterAutoscalerAnnotations.scalableKinds.map { "'\($0)'" }.joined(separator: ", "))])",
                        message: "semantics MinimumSize needs a cluster.x-k8s.io \(ClusterAutoscalerAnnotations.scalableKinds.joined(separator: ", ")) target", fieldPath: ".semantics"),
            Schema.Rule("!has(self.semantics) || self.semantics != 'MinimumSize' || !has(self.replicasPath) || self.replicasPath == ''",
                        message: "may not be set when spec.target.semantics is MinimumSize", fieldPath: ".replicasPath")
        )
    }

    static var demand: Schema {
        Schema.object("Where demand comes from.", required: ["pods"], [
            "pods": .object("Demand is the sum of the resource requested by matching Running and Pending pods.", required: ["selector"], [
                "selector": labelSelector(selecting: "Pod"),
                "resource": Schema.string("Extended resource counted as demand.", pattern: NamePatterns.resourceName, maxLength: 253)
                    .defaulted(.string(GPUPoolDefaults.demandResource)),
                "namespaceSelector": namespaceSelector,
            ]),
            "prometheus": .object("Demand history, and optionally live demand, from the operator's Prometheus server (fleetcast operator --prometheus-url).",
                                  required: ["query"], [
                "query": .string("PromQL returning the pool's demand in GPUs as one series.", maxLength: GPUPoolLimits.maxPromQLLength),
                "historyQuery": .string("PromQL read for the backfill of past demand (its peak in every forecast.step bin); default query.",
                                        maxLength: GPUPoolLimits.maxPromQLLength),
                "use": Schema.enumeration("History: backfill the demand history only, live demand from pods. HistoryAndLive: the query is also the live demand.",
                                          PrometheusDemandUse.self)
                    .defaulted(.string(GPUPoolDefaults.prometheusUse.rawValue)),
            ]),
        ])
    }

    static var forecast: Schema {
        Schema.object("How demand is learned and forecast.", [
            "seasonalities": Schema.array("Seasonal periods to learn, e.g. 24h and 168h; each shorter than history and a whole multiple of step.",
                                          of: .duration("A seasonal period.", positive: true), maxItems: GPUPoolLimits.maxSeasonalities)
                .asSet()
                .defaulted(.array(GPUPoolDefaults.seasonalities.map { .string($0.description) })),
            "history": Schema.duration("How far back demand history reaches.", within: GPUPoolLimits.history)
                .defaulted(.string(GPUPoolDefaults.history.description)),
            "step": Schema.duration("Bin size of the demand history.", within: GPUPoolLimits.step)
                .defaulted(.string(GPUPoolDefaults.step.description)),
            "quantile": Schema.number("Plan for this quantile of forecast demand.", minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true)
                .defaulted(.double(GPUPoolDefaults.forecastQuantile)),
        ])
        .defaulted(.object([:]))
        .validated(
            Schema.Rule("!has(self.seasonalities) || !has(self.history) || self.seasonalities.all(s, duration(s) < duration(self.history))",
                        message: "every seasonality must be shorter than spec.forecast.history", fieldPath: ".seasonalities"),
            Schema.Rule("!has(self.seasonalities) || !has(self.step) || duration(self.step).getMilliseconds() <= 0 || self.seasonalities.all(s, duration(s).getMilliseconds() % duration(self.step).getMilliseconds() == 0)",
                        message: "every seasonality must be a whole multiple of spec.forecast.step", fieldPath: ".seasonalities"),
            Schema.Rule("!has(self.history) || !has(self.step) || duration(self.step) < duration('\(GPUPoolLimits.step.lowerBound)') || duration(self.history).getSeconds() / duration(self.step).getSeconds() <= \(GPUPoolLimits.maxHistoryBins)",
                        message: "must hold at most \(GPUPoolLimits.maxHistoryBins) bins of spec.forecast.step", fieldPath: ".history")
        )
    }

    static var schedule: Schema {
        Schema.object("A window of known demand or of limited capacity: recurring (starts when cron fires in timeZone) or one-off (starts at a date), lasting duration, doing what mode says.",
                      required: ["name", "duration"], [
            "name": .string("Unique within the pool; shown in status and events.", pattern: NamePatterns.dnsLabel, maxLength: NamePatterns.dnsLabelMaxLength),
            "cron": .string("Five-field cron expression (minute hour day-of-month month day-of-week) or a macro such as @daily. Exactly one of cron and at.", maxLength: 128),
            "at": .string("RFC 3339 start of a one-off window, such as 2026-12-24T18:00:00Z. Exactly one of cron and at.", maxLength: 64),
            "timeZone": Schema.string("IANA time zone the cron expression is read in; unused by at, which carries its own offset.", maxLength: 64)
                .defaulted(.string(GPUPoolDefaults.timeZone)),
            "duration": .duration("How long the window lasts.", within: GPUPoolLimits.scheduleDuration),
            "mode": Schema.enumeration("Add: gpus more GPUs on top of the learned forecast. Floor: at least gpus GPUs. Cap: at most nodes nodes, winning over the warm pool and nodes.min but never draining a node that runs work.", ScheduleMode.self)
                .defaulted(.string(GPUPoolDefaults.scheduleMode.rawValue)),
            "gpus": .integer("Add: GPUs the window needs on top of the learned forecast. Floor: GPUs it needs at least.",
                             minimum: GPUPoolLimits.scheduleGPUs.lowerBound, maximum: GPUPoolLimits.scheduleGPUs.upperBound),
            "nodes": .integer("Cap: most nodes the pool may hold while the window is open; 0 scales an idle pool to zero.",
                              minimum: GPUPoolLimits.nodes.lowerBound, maximum: GPUPoolLimits.nodes.upperBound),
        ]).validated(
            Schema.Rule("has(self.cron) != has(self.at)", message: "exactly one of cron or at is required", fieldPath: ".cron"),
            Schema.Rule("(has(self.mode) && self.mode == 'Cap') ? (has(self.nodes) && !has(self.gpus)) : (has(self.gpus) && !has(self.nodes))",
                        message: "mode Add and Floor need gpus and no nodes; mode Cap needs nodes and no gpus", fieldPath: ".gpus")
        )
    }

    static var warmPool: Schema {
        Schema.object("Ready, idle capacity held for demand no forecast saw.", [
            "minIdleNodes": Schema.integer("Idle nodes to keep on top of the plan.", minimum: 0)
                .defaulted(.int(Int64(GPUPoolDefaults.minIdleNodes))),
            "maxIdleNodes": .integer("Idle nodes beyond this are released first. Unset: no cap other than normal scale-down.", minimum: 0),
            "minIdlePercent": .integer("Idle capacity to keep as a percentage of the GPUs the plan needs; the warm pool is the larger of this and minIdleNodes, capped by maxIdleNodes. Unset: 0.", minimum: 0, maximum: 100),
            "learnedMaxPercent": .integer("Learn the idle share from the pool's own rises (1.5 × the largest relative rise within one lead time over the trailing week), at most this percentage of the planned GPUs. Unset: not learned.",
                                          minimum: GPUPoolLimits.learnedMaxPercent.lowerBound, maximum: GPUPoolLimits.learnedMaxPercent.upperBound),
            "standby": standby,
            "prePull": prePull,
        ])
        .defaulted(.object([:]))
        .validated(Schema.Rule("!has(self.maxIdleNodes) || !has(self.minIdleNodes) || self.minIdleNodes <= self.maxIdleNodes",
                               message: "must be greater than or equal to spec.warmPool.minIdleNodes",
                               messageExpression: #""must be greater than or equal to spec.warmPool.minIdleNodes (" + string(self.minIdleNodes) + ")""#,
                               fieldPath: ".maxIdleNodes"))
    }

    static var startup: Schema {
        learnedDelay("The lead time: how long a requested node takes to become GPU-allocatable.",
                     expected: "Prior start-up time, used until enough node start-ups have been observed.",
                     within: GPUPoolLimits.startupExpected, defaultExpected: GPUPoolDefaults.startupExpected,
                     quantile: "Quantile of observed start-up times to plan for.", defaultQuantile: GPUPoolDefaults.startupQuantile)
    }

    /// A delay learned from observations with a prior (`startup`, `warmPool.standby.resume`).
    static func learnedDelay(_ description: String, expected: String, within range: ClosedRange<KubeDuration>, defaultExpected: KubeDuration,
                             quantile: String, defaultQuantile: Double) -> Schema {
        Schema.object(description, [
            "expected": Schema.duration(expected, within: range).defaulted(.string(defaultExpected.description)),
            "quantile": Schema.number(quantile, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true)
                .defaulted(.double(defaultQuantile)),
        ]).defaulted(.object([:]))
    }

    static var scaleDown: Schema {
        Schema.object("How cautiously capacity is given back.", [
            "stabilizationWindow": Schema.duration("A lower plan must hold this long before nodes are removed; 0s removes at once.",
                                                   within: GPUPoolLimits.stabilizationWindow)
                .defaulted(.string(GPUPoolDefaults.stabilizationWindow.description)),
            "maxNodesPerStep": Schema.integer("Most nodes removed in one step.", minimum: 1, maximum: GPUPoolLimits.nodes.upperBound)
                .defaulted(.int(Int64(GPUPoolDefaults.maxNodesPerStep))),
        ]).defaulted(.object([:]))
    }

    static var budget: Schema {
        Schema.object("A spending cap; needs spec.nodes.hourlyCost.", required: ["maxHourlyCost"], [
            "maxHourlyCost": .number("The plan is clamped so that nodes × hourlyCost stays at or below this.", minimum: 0, exclusiveMinimum: true,
                                     maximum: GPUPoolLimits.maxBudgetPerHour),
        ])
    }

    /// `metav1.LabelSelector`, required to select something.
    static func labelSelector(selecting kind: String) -> Schema {
        Schema.object("Selects the \(kind)s that belong to the pool; must not be empty.", [
            "matchLabels": .map("Labels that must all match.", values: .string("Label value.", maxLength: 63)),
            "matchExpressions": .array("Set-based requirements; all must match.", of: labelRequirement, maxItems: 16),
        ]).validated(Schema.Rule(
            "(has(self.matchLabels) && size(self.matchLabels) > 0) || (has(self.matchExpressions) && size(self.matchExpressions) > 0)",
            message: "an empty selector would select every \(kind)"))
    }

    /// Unlike the pool's own selectors, empty is allowed: `{}` selects every namespace.
    static var namespaceSelector: Schema {
        Schema.object("The namespaces whose pods count, by their labels. {} selects every namespace; absent, only the pool's namespace.", [
            "matchLabels": .map("Labels that must all match.", values: .string("Label value.", maxLength: 63)),
            "matchExpressions": .array("Set-based requirements; all must match.", of: labelRequirement, maxItems: 16),
        ])
    }

    static var labelRequirement: Schema {
        Schema.object("A label key, an operator and values.", required: ["key", "operator"], [
            "key": .string("The label key.", maxLength: 317),
            "operator": .enumeration("How the key relates to the values.", LabelSelectorOperator.self),
            "values": .array("Values for In and NotIn; empty for Exists and DoesNotExist.", of: .string("A label value.", maxLength: 63), maxItems: 64),
        ]).validated(Schema.Rule(
            "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0) : (!has(self.values) || size(self.values) == 0)",
            message: "values must be non-empty for In and NotIn and empty for Exists and DoesNotExist"))
    }
}
