/// Condition types on `GPUPool.status.conditions`. `Ready` summarises the others.
public enum GPUPoolConditionType: String, Sendable, Hashable, CaseIterable {
    /// The pool is reconciled: spec valid, target found, plan applied (or published in ForecastOnly).
    case ready = "Ready"
    /// Enough demand history exists for the learned forecast to be used.
    case forecastReady = "ForecastReady"
    /// Fleetcast is actuating the target (False in ForecastOnly mode or when the target is missing).
    case scalingActive = "ScalingActive"
    /// The plan was clamped by `spec.budget`.
    case budgetLimited = "BudgetLimited"
    /// Something is wrong that the operator cannot fix itself (API errors, failed scale requests).
    case degraded = "Degraded"
    /// Some demand pod asks for more GPUs than one node holds; its request is counted as one node's
    /// worth (True), so it cannot drive the pool to its maximum.
    case demandOutOfRange = "DemandOutOfRange"
    /// Another pool's node selector selects some of this pool's nodes (True is a warning: both count them).
    case nodesShared = "NodesShared"
    /// Only for pools with `spec.demand.prometheus`: whether the backfill from Prometheus (and, with
    /// `HistoryAndLive`, the live query) answered. False leaves the pool on its own history.
    case historyAvailable = "HistoryAvailable"
    /// Whether CronJobs were read as schedules (`spec.discovery.cronJobs`). False names every CronJob
    /// whose schedule or time zone does not parse; it is skipped, the others still count.
    case schedulesDiscovered = "SchedulesDiscovered"
    /// Only for pools with `spec.objective`: whether the pool plans with tuned settings (True only in
    /// `mode: Apply` once a tuning found some); False says why not (Recommend mode, history too short, pending).
    case tuned = "Tuned"
}

/// CamelCase reasons for the conditions above; one word per cause, as `kubectl get` shows them.
public enum GPUPoolConditionReason: String, Sendable, Hashable, CaseIterable {
    case reconciled = "Reconciled"
    case invalidSpec = "InvalidSpec"
    case targetNotFound = "TargetNotFound"
    case forecastAvailable = "ForecastAvailable"
    case forecastNotReady = "ForecastNotReady"
    case insufficientHistory = "InsufficientHistory"
    case scalingEnabled = "ScalingEnabled"
    case forecastOnlyMode = "ForecastOnlyMode"
    case scaleFailed = "ScaleFailed"
    case withinBudget = "WithinBudget"
    case budgetLimited = "BudgetLimited"
    case noBudget = "NoBudget"
    case asExpected = "AsExpected"
    case apiError = "APIError"
    /// The operator's pod and node caches are out of sync with the API server; it holds the pool's size.
    case observationStale = "ObservationStale"
    /// `DemandOutOfRange=True`: a pod requests more GPUs than `spec.nodes.gpusPerNode`.
    case podRequestExceedsNode = "PodRequestExceedsNode"
    /// `DemandOutOfRange=False`: every demand pod fits on one node.
    case demandInRange = "DemandInRange"
    /// A Cluster API scale-down removed fewer nodes than planned (or none): the others run pods.
    case scaleDownBlockedByBusyNodes = "ScaleDownBlockedByBusyNodes"
    /// An older pool scales the same target; this one does not actuate.
    case targetConflict = "TargetConflict"
    /// cluster-autoscaler scales the target (its node-group annotations are set) and the pool's
    /// semantics would write its replicas too; this one does not actuate.
    case conflictingAutoscaler = "ConflictingAutoscaler"
    case nodeSelectorOverlap = "NodeSelectorOverlap"
    case nodesExclusive = "NodesExclusive"
    /// `HistoryAvailable=True`: the demand history was backfilled from Prometheus.
    case historyBackfilled = "HistoryBackfilled"
    /// The operator runs without `--prometheus-url`, so the pool's Prometheus query is not read.
    case prometheusNotConfigured = "PrometheusNotConfigured"
    /// Prometheus could not be reached or did not answer within `--prometheus-timeout`.
    case prometheusUnavailable = "PrometheusUnavailable"
    /// Prometheus answered with an error (a PromQL syntax error, an execution error, a timeout it
    /// enforced itself); the message carries its error type and text.
    case queryFailed = "QueryFailed"
    /// The query returned no samples in the history window (or, live, at this instant).
    case emptyResult = "EmptyResult"
    /// The query returned more than one series; it must be aggregated to one (e.g. with `sum`).
    case multipleSeries = "MultipleSeries"
    /// `SchedulesDiscovered=True`: every CronJob that requests the pool's GPUs became a schedule.
    case cronJobsDiscovered = "CronJobsDiscovered"
    /// `SchedulesDiscovered=False`: some CronJob's schedule or time zone does not parse (named).
    case invalidCronJob = "InvalidCronJob"
    /// `SchedulesDiscovered=False`: `spec.discovery.cronJobs` is Disabled.
    case discoveryDisabled = "DiscoveryDisabled"
    /// `Tuned=True`: the pool plans with the tuned settings in `status.tuning` (`mode: Apply`).
    case tunedSettingsApplied = "TunedSettingsApplied"
    /// `Tuned=False`: `mode: Recommend`; the tuned settings are only published in `status.tuning`.
    case recommendOnly = "RecommendOnly"
    /// `Tuned=False`: less than seven days of recorded demand to replay.
    case tuningHistoryTooShort = "TuningHistoryTooShort"
    /// `Tuned=False`: the first tuning has not run yet.
    case tuningPending = "TuningPending"
    /// `Tuned=False`: the tuned settings written into the spec would not validate, so they are not used.
    case tunedSpecInvalid = "TunedSpecInvalid"
}

/// Reasons of the Kubernetes Events the operator emits about a GPUPool; one per event category.
public enum GPUPoolEventReason: String, Sendable, Hashable, CaseIterable {
    case scaledUp = "ScaledUp"
    case scaledDown = "ScaledDown"
    /// A scale-down was held back because the forecast or a schedule needs the nodes within the lead time.
    case scaleDownEmbargoed = "ScaleDownEmbargoed"
    case budgetLimited = "BudgetLimited"
    case clampedToMax = "ClampedToMax"
    case invalidSpec = "InvalidSpec"
    case targetNotFound = "TargetNotFound"
    case forecastNotReady = "ForecastNotReady"
    case forecastReady = "ForecastReady"
    case scheduleStarted = "ScheduleStarted"
    case scaleFailed = "ScaleFailed"
    /// A demand pod's request was capped at one node's GPUs.
    case demandOutOfRange = "DemandOutOfRange"
    /// Fewer nodes could be removed than planned because the others run pods; names the busy nodes.
    case scaleDownBlockedByBusyNodes = "ScaleDownBlockedByBusyNodes"
    /// Another, older pool scales the same target; names it.
    case targetConflict = "TargetConflict"
    /// cluster-autoscaler scales the target; the pool does not write its replicas.
    case conflictingAutoscaler = "ConflictingAutoscaler"
    /// Another pool's node selector selects some of this pool's nodes; names it.
    case nodeSelectorOverlap = "NodeSelectorOverlap"
    /// The demand history was backfilled from Prometheus; says how many bins, gaps and dropped samples.
    case historyBackfilled = "HistoryBackfilled"
    /// The Prometheus backfill or live query failed; carries the reason and Prometheus's error text.
    case historyUnavailable = "HistoryUnavailable"
    /// The pool's pre-pull DaemonSet (`spec.warmPool.prePull`) was created, changed (images or node
    /// selector) or deleted (pre-pull removed from the spec, or the pool made ForecastOnly).
    case prePullCreated = "PrePullCreated"
    case prePullUpdated = "PrePullUpdated"
    case prePullDeleted = "PrePullDeleted"
    /// The pre-pull DaemonSet could not be read or written, or a DaemonSet of its name belongs to
    /// something else; the images are not kept pulled.
    case prePullFailed = "PrePullFailed"
    /// The standby target's replicas (`spec.warmPool.standby.target`) were set to the planned standby nodes.
    case standbyScaled = "StandbyScaled"
    /// Suspended standby nodes of the pool were seen Ready again: resumed for demand; says how long it took.
    case standbyResumed = "StandbyResumed"
    /// The standby target could not be read or written, or an older pool scales it.
    case standbyFailed = "StandbyFailed"
    /// `mode: Apply`: the settings the pool plans with changed after a tuning; names them.
    case tunedSettingsChanged = "TunedSettingsChanged"
    /// `mode: Recommend`: a tuning recommends settings different from the last recommendation; names them.
    case tuningRecommended = "TuningRecommended"
}
