import KubeAPI

/// What the pool must achieve, instead of how: serve a share of GPU demand, or keep waits short, at the
/// lowest cost within `spec.budget`. `fleetcast tune` and `simulate`'s `tuned` row replay demand through
/// the decision loop and search the knobs the spec leaves at their defaults (docs/tuning.md); a knob the
/// user set is never tuned. The operator's tuning controller does the same daily over the pool's recorded
/// history, publishes the result in `status.tuning` and, with `mode: Apply`, plans with it.
public struct ObjectiveSpec: Codable, Sendable, Hashable {
    /// Share of demanded GPU-time served on ready capacity, e.g. 0.999.
    public var servedFraction: Double?
    /// Longest a GPU-minute of demand may wait for capacity, for `waitQuantile` of GPU-minutes.
    public var maxWait: KubeDuration?
    /// The share of GPU-minutes that must wait at most `maxWait`. Default 0.95.
    public var waitQuantile: Double?
    /// The operator's self-tuning: `Recommend` publishes tuned settings in `status.tuning`, `Apply` also plans with them.
    public var mode: TuningMode?

    public init(servedFraction: Double? = nil, maxWait: KubeDuration? = nil, waitQuantile: Double? = nil, mode: TuningMode? = nil) {
        self.servedFraction = servedFraction
        self.maxWait = maxWait
        self.waitQuantile = waitQuantile
        self.mode = mode
    }

    public var effectiveWaitQuantile: Double { waitQuantile ?? GPUPoolDefaults.waitQuantile }
    public var effectiveMode: TuningMode { mode ?? GPUPoolDefaults.tuningMode }
}

/// Whether tuned settings are only published or also used.
public enum TuningMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// Publish the tuned settings in `status.tuning`; plan with the spec as written.
    case recommend = "Recommend"
    /// Plan with the tuned settings (the knobs the spec leaves unset), with a condition and an event on change.
    case apply = "Apply"
}

extension FieldChecks {
    mutating func validateObjective(_ objective: ObjectiveSpec, at path: FieldPath) {
        if objective.servedFraction == nil, objective.maxWait == nil {
            errors.append(.required(path, "give servedFraction, maxWait or both"))
        }
        if let served = objective.servedFraction {
            openUnitInterval(served, path.child("servedFraction"))
        }
        if let wait = objective.maxWait {
            within(wait, GPUPoolLimits.objectiveMaxWait, path.child("maxWait"))
        }
        if let quantile = objective.waitQuantile {
            if objective.maxWait == nil {
                errors.append(.invalid(path.child("waitQuantile"), .double(quantile), "needs spec.objective.maxWait"))
            } else {
                openUnitInterval(quantile, path.child("waitQuantile"))
            }
        }
    }

    mutating func validateLearnedWarmPool(of spec: GPUPoolSpec, at path: FieldPath) {
        if let cap = spec.warmPool?.learnedMaxPercent {
            within(cap, GPUPoolLimits.learnedMaxPercent, path.child("learnedMaxPercent"))
        }
    }
}

extension GPUPoolSchema {
    static var objective: Schema {
        Schema.object("What the pool must achieve, at the lowest cost within spec.budget. `fleetcast tune` finds the settings of the knobs the spec leaves at their defaults that meet it, by replaying recorded demand; the operator does the same daily (and on spec change, and on the fleetcast.dev/tune-now annotation) over the pool's recorded history.", [
            "servedFraction": .number("Share of demanded GPU-time to serve on ready capacity, e.g. 0.999.",
                                      minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true),
            "maxWait": .duration("Longest a GPU-minute of demand may wait for capacity, for waitQuantile of GPU-minutes.",
                                 within: GPUPoolLimits.objectiveMaxWait),
            "waitQuantile": .number("Share of GPU-minutes that must wait at most maxWait. Default 0.95.",
                                    minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true),
            "mode": Schema.enumeration("The operator's self-tuning: Recommend publishes the tuned settings in status.tuning; Apply also plans with them (knobs the spec sets stay as written), with the Tuned condition and a TunedSettingsChanged event when they change.", TuningMode.self)
                .defaulted(.string(GPUPoolDefaults.tuningMode.rawValue)),
        ]).validated(
            Schema.Rule("has(self.servedFraction) || has(self.maxWait)", message: "give servedFraction, maxWait or both"),
            Schema.Rule("!has(self.waitQuantile) || has(self.maxWait)", message: "needs spec.objective.maxWait", fieldPath: ".waitQuantile"))
    }
}
