import KubeAPI

/// The status part of the GPUPool schema. Every field is declared: a structural schema prunes
/// undeclared fields, so anything the operator writes must appear here.
enum GPUPoolStatusSchema {
    static var status: Schema {
        .object("What the operator last observed and planned.", [
            "observedGeneration": int64("The metadata.generation this status was computed from."),
            "conditions": Schema.array("Ready, ForecastReady, ScalingActive, BudgetLimited and Degraded.", of: condition, maxItems: 16)
                .keyed(by: "type"),
            "nodes": .object("Node counts; desired is the plan, the rest are observations.", [
                "current": count("Nodes in the pool."),
                "ready": count("Ready nodes."),
                "starting": count("Requested nodes not yet GPU-allocatable."),
                "desired": count("Nodes the plan wants."),
                "idle": count("Ready nodes with no GPU requested on them."),
            ]),
            "demand": .object("Current demand.", [
                "gpus": count("GPUs requested by the pool's Running and Pending pods, plus its queued jobs."),
                "pendingGPUs": count("The part of gpus requested by Pending pods and queued jobs."),
                "queuedGPUs": count("The part of pendingGPUs of Jobs a queue manager (Kueue) holds suspended."),
            ]),
            "forecast": .object("Summary of the current forecast.", [
                "peakGPUs": .number("Highest planned-quantile demand within the horizon."),
                "peakAt": timestamp("When the peak is expected."),
                "horizon": .string("How far ahead the forecast looked."),
            ]),
            "nextSchedule": .object("The next declared schedule window.", [
                "name": .string("The schedule's name."),
                "startsAt": timestamp("When the window starts."),
                "gpus": count("GPUs the window needs."),
            ]),
            "discoveredSchedules": .array("Schedules found in the cluster (spec.discovery), each with its source.", of: .object("A discovered schedule.", [
                "name": .string("The schedule's name in plans and events."),
                "source": .string("Where it was found, e.g. CronJob ml/retrain-nightly."),
                "cron": .string("The CronJob's schedule."),
                "timeZone": .string("The CronJob's time zone."),
                "duration": .string("How long each window lasts."),
                "gpus": count("Per-pod request × parallelism."),
                "durationSource": .string("LearnedFromJobs, ActiveDeadlineSeconds or Default."),
                "runs": count("Completed runs the duration was learned from."),
            ])),
            "startup": .object("Observed node start-up times (creation to GPU-allocatable), the phases from asking for a node to a serving pod, and the lead time planned with.", [
                "p50": .string("Median start-up time."),
                "p90": .string("90th percentile start-up time."),
                "samples": count("Start-ups observed."),
                "leadTime": .string("Lead time the plan uses: the prior, the observed start-up, or that plus the observed phases outside it."),
                "phases": Schema.array("Measured start-up phases, in the order they happen.", of: startupPhase, maxItems: 8)
                    .keyed(by: "name"),
            ]),
            "standby": .object("The standby tier (spec.warmPool.standby): planned, observed, and its resumes.", [
                "desired": count("Standby nodes the latest plan holds (written to spec.warmPool.standby.target)."),
                "readyToResume": count("The pool's nodes suspended now: not Ready, with the unreachable taint."),
                "resumeTime": .string("Resume time the plan uses: the prior, or the observed resumes' quantile."),
                "resumeP50": .string("Median observed resume (asked to resume to node Ready)."),
                "resumeP90": .string("90th percentile observed resume."),
                "resumeSamples": count("Resumes observed."),
            ]),
            "cost": .object("Current spend.", [
                "hourly": .number("Running nodes × spec.nodes.hourlyCost, plus suspended standby nodes × spec.warmPool.standby.hourlyCost (default 10 % of spec.nodes.hourlyCost)."),
            ]),
            "lastScale": .object("The most recent change of the target's replicas.", [
                "time": timestamp("When it happened."),
                "from": count("Replicas before."),
                "to": count("Replicas after."),
                "reason": .string("Event reason, e.g. ScaledUp."),
            ]),
            "tuning": tuning,
        ])
    }

    /// One learned start-up phase.
    static var startupPhase: Schema {
        Schema.object("One start-up phase's learned distribution.", required: ["name"], [
            "name": .string("Provisioning, NodeReady, GPUReady, Scheduling, ImagePull or ModelLoad.", maxLength: 64),
            "p50": .string("Median duration."),
            "p90": .string("90th percentile duration."),
            "samples": count("Durations observed."),
        ])
    }

    /// `metav1.Condition`, as every Kubernetes CRD declares it.
    static var condition: Schema {
        Schema.object("An observation of one aspect of the pool's state.",
                      required: ["type", "status", "lastTransitionTime", "reason", "message"], [
            "type": .string("Condition type in CamelCase.", pattern: #"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"#, maxLength: 316),
            "status": .enumeration("True, False or Unknown.", ConditionStatus.self),
            "observedGeneration": int64("The metadata.generation the condition was set from."),
            "lastTransitionTime": timestamp("When status last changed."),
            "reason": .string("CamelCase category of the cause.", pattern: #"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"#, maxLength: 1024),
            "message": .string("A human-readable sentence.", maxLength: 32768),
        ])
    }

    static func count(_ description: String) -> Schema {
        var schema = Schema.integer(description, minimum: 0)
        schema.format = "int32"
        return schema
    }

    static func int64(_ description: String) -> Schema {
        var schema = Schema.integer(description, minimum: 0)
        schema.format = "int64"
        return schema
    }

    static func timestamp(_ description: String) -> Schema {
        var schema = Schema.string(description)
        schema.format = "date-time"
        return schema
    }
}
