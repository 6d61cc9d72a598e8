import KubeAPI

/// The operator's last self-tuning of a pool with `spec.objective` (docs/tuning.md): what it replayed,
/// what it found and whether the pool plans with it. Written by the GPUPool reconciler from the tuning
/// controller's result, so the status has one writer.
public struct TuningStatus: Codable, Sendable, Hashable {
    /// When the replay ran (RFC 3339).
    public var lastTuneTime: String?
    /// The `metadata.generation` the tuning was computed for.
    public var observedGeneration: Int64?
    /// `ObjectiveMet`, `ObjectiveNotMet` (the closest setting found) or `HistoryTooShort` (nothing tuned).
    public var result: String?
    /// A sentence on what was found, or why nothing was tuned.
    public var message: String?
    /// The tuned values of the knobs the spec leaves free; a knob the user set never appears.
    public var settings: TunedSettings?
    /// The tuned settings replayed over the history.
    public var recommended: ReplayedOutcome?
    /// The pool's current settings (the spec as written) replayed the same way.
    public var current: ReplayedOutcome?
    /// How many settings were replayed.
    public var settingsTried: Int?
    /// The recorded demand history replayed: its first and last instant (RFC 3339) and length in days.
    public var historyStart: String?
    public var historyEnd: String?
    public var historyDays: Double?
    /// CPU time the search took.
    public var cpuSeconds: Double?
    /// The last `fleetcast.dev/tune-now` annotation value handled (a request to tune now is acknowledged here).
    public var tuneRequest: String?
    /// Whether the pool plans with `settings` (`spec.objective.mode: Apply`).
    public var applied: Bool?

    public init(lastTuneTime: String? = nil, observedGeneration: Int64? = nil, result: String? = nil, message: String? = nil,
                settings: TunedSettings? = nil, recommended: ReplayedOutcome? = nil, current: ReplayedOutcome? = nil,
                settingsTried: Int? = nil, historyStart: String? = nil, historyEnd: String? = nil, historyDays: Double? = nil,
                cpuSeconds: Double? = nil, tuneRequest: String? = nil, applied: Bool? = nil) {
        self.lastTuneTime = lastTuneTime
        self.observedGeneration = observedGeneration
        self.result = result
        self.message = message
        self.settings = settings
        self.recommended = recommended
        self.current = current
        self.settingsTried = settingsTried
        self.historyStart = historyStart
        self.historyEnd = historyEnd
        self.historyDays = historyDays
        self.cpuSeconds = cpuSeconds
        self.tuneRequest = tuneRequest
        self.applied = applied
    }
}

/// What a tuning found, in `status.tuning.result`.
public enum TuningResult: String, Codable, Sendable, Hashable, CaseIterable {
    /// The recommendation meets the objective as the tuner judged it (worst replayed day or all days, with its margin).
    case objectiveMet = "ObjectiveMet"
    /// No setting tried meets it; the recommendation is the closest one.
    case objectiveNotMet = "ObjectiveNotMet"
    /// Less than seven days of recorded demand: nothing was replayed.
    case historyTooShort = "HistoryTooShort"
}

/// Tuned knob values as the spec writes them. `fields` names every knob tuned (spec paths): a value
/// not listed there (left from an earlier tuning by the merge patch) is not used.
public struct TunedSettings: Codable, Sendable, Hashable {
    public var fields: [String]?
    /// `spec.forecast.quantile`
    public var forecastQuantile: Double?
    /// `spec.warmPool.minIdleNodes`
    public var minIdleNodes: Int?
    /// `spec.warmPool.minIdlePercent`
    public var minIdlePercent: Int?
    /// `spec.warmPool.learnedMaxPercent`; 0: the learned warm share is off
    public var learnedMaxPercent: Int?
    /// `spec.scaleDown.stabilizationWindow`
    public var stabilizationWindow: KubeDuration?
    /// `spec.startup.quantile`
    public var startupQuantile: Double?

    public init(fields: [String]? = nil, forecastQuantile: Double? = nil, minIdleNodes: Int? = nil, minIdlePercent: Int? = nil,
                learnedMaxPercent: Int? = nil, stabilizationWindow: KubeDuration? = nil, startupQuantile: Double? = nil) {
        self.fields = fields
        self.forecastQuantile = forecastQuantile
        self.minIdleNodes = minIdleNodes
        self.minIdlePercent = minIdlePercent
        self.learnedMaxPercent = learnedMaxPercent
        self.stabilizationWindow = stabilizationWindow
        self.startupQuantile = startupQuantile
    }
}

/// One setting replayed over the pool's history.
public struct ReplayedOutcome: Codable, Sendable, Hashable {
    /// Share of demanded GPU-time served over the scored days.
    public var servedFraction: Double?
    /// The same on the worst scored day (what the objective is judged on).
    public var worstDayServedFraction: Double?
    /// The wait `waitQuantile` of demanded GPU-time stayed within, seconds, and the same on the worst day.
    public var waitSeconds: Double?
    public var worstDayWaitSeconds: Double?
    /// Cost over the scored days (the pool's currency, or node-hours without `spec.nodes.hourlyCost`).
    public var cost: Double?

    public init(servedFraction: Double? = nil, worstDayServedFraction: Double? = nil, waitSeconds: Double? = nil,
                worstDayWaitSeconds: Double? = nil, cost: Double? = nil) {
        self.servedFraction = servedFraction
        self.worstDayServedFraction = worstDayServedFraction
        self.waitSeconds = waitSeconds
        self.worstDayWaitSeconds = worstDayWaitSeconds
        self.cost = cost
    }
}

extension GPUPoolStatusSchema {
    static var tuning: Schema {
        .object("The operator's last self-tuning (pools with spec.objective; docs/tuning.md).", [
            "lastTuneTime": timestamp("When the replay ran."),
            "observedGeneration": int64("The metadata.generation the tuning was computed for."),
            "result": Schema.enumeration("ObjectiveMet, ObjectiveNotMet (the closest setting found) or HistoryTooShort (nothing tuned).", TuningResult.self),
            "message": .string("What was found, or why nothing was tuned.", maxLength: 4096),
            "settings": .object("Tuned values of the knobs the spec leaves free; a knob the user set never appears.", [
                "fields": Schema.array("Spec paths of the tuned knobs.", of: .string("A spec path.", maxLength: 64), maxItems: 8),
                "forecastQuantile": .number("spec.forecast.quantile."),
                "minIdleNodes": count("spec.warmPool.minIdleNodes."),
                "minIdlePercent": count("spec.warmPool.minIdlePercent."),
                "learnedMaxPercent": count("spec.warmPool.learnedMaxPercent; 0: the learned warm share is off."),
                "stabilizationWindow": .string("spec.scaleDown.stabilizationWindow."),
                "startupQuantile": .number("spec.startup.quantile."),
            ]),
            "recommended": replayedOutcome("The tuned settings replayed over the history."),
            "current": replayedOutcome("The spec as written replayed the same way."),
            "settingsTried": count("Settings replayed."),
            "historyStart": timestamp("First instant of the replayed history."),
            "historyEnd": timestamp("Last instant of the replayed history."),
            "historyDays": .number("Days of recorded demand replayed."),
            "cpuSeconds": .number("CPU time the search took."),
            "tuneRequest": .string("The last fleetcast.dev/tune-now annotation value handled.", maxLength: 256),
            "applied": .boolean("Whether the pool plans with settings (spec.objective.mode Apply)."),
        ])
    }

    static func replayedOutcome(_ description: String) -> Schema {
        .object(description, [
            "servedFraction": .number("Share of demanded GPU-time served over the scored days."),
            "worstDayServedFraction": .number("The same on the worst scored day."),
            "waitSeconds": .number("The wait waitQuantile of demanded GPU-time stayed within, seconds."),
            "worstDayWaitSeconds": .number("The same on the worst scored day."),
            "cost": .number("Cost over the scored days."),
        ])
    }
}
