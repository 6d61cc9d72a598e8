import FleetcastAPI
import Foundation
import KubeAPI
import PoolPolicy
import Tuning

/// How a pool with `spec.objective` uses its last tuning: the settings the reconciler plans with and
/// what the `Tuned` condition says. In `Apply` mode the tuned values replace only the knobs the spec
/// leaves free *now* (a knob the user set since the tuning stays the user's), and only when the spec
/// with them written in still validates; limits, budget and price are never touched, so the planner
/// keeps `nodes.max` and the budget exactly as declared.
enum TunedPlanning {
    enum Use: Sendable, Hashable {
        /// No `spec.objective`: no `Tuned` condition.
        case noObjective
        /// No tuning has run yet.
        case pending
        case historyTooShort(String)
        /// `mode: Recommend`: published, not used.
        case recommendOnly(TunedSettings?)
        /// `mode: Apply`: planning with these.
        case applied(TunedSettings)
        /// The tuned values would make the spec invalid (the message says why); the spec as written is used.
        case invalid(String)
    }

    static func settings(spec: GPUPoolSpec, declared: DecisionSettings, tuning: TuningStatus?, tick: TimeInterval) -> (settings: DecisionSettings, use: Use) {
        guard let objective = spec.objective else { return (declared, .noObjective) }
        guard let tuning else { return (declared, .pending) }
        if tuning.result == TuningResult.historyTooShort.rawValue { return (declared, .historyTooShort(tuning.message ?? "")) }
        guard let tuned = tuning.settings else { return (declared, .pending) }
        guard objective.effectiveMode == .apply else { return (declared, .recommendOnly(tuned)) }
        let free = spec.tunableKnobs.intersection(tuned.knobs)
        let knobs = tuned.applied(to: TuningKnobs(declared), only: free)
        let tunedSpec = spec.applying(knobs, only: free)
        let problems = tunedSpec.validate()
        guard problems.isEmpty else { return (declared, .invalid(problems.map(\.description).joined(separator: "; "))) }
        do {
            let settings = try DecisionSettings(spec: tunedSpec, tick: tick)
            return (settings, .applied(TunedSettings(knobs, fields: free)))
        } catch {
            return (declared, .invalid(error.description))
        }
    }
}

extension PoolConditions {
    /// `Tuned` for a pool with `spec.objective` (removed without one).
    mutating func setTuned(_ use: TunedPlanning.Use) {
        switch use {
        case .noObjective:
            conditions.removeAll { $0.type == GPUPoolConditionType.tuned.rawValue }
        case .pending:
            set(.tuned, .false, .tuningPending, "The first tuning has not run yet; planning with the spec as written.")
        case .historyTooShort(let message):
            set(.tuned, .false, .tuningHistoryTooShort, message)
        case .recommendOnly(let settings):
            let found = settings.map { $0.summary.isEmpty ? "" : " (\($0.summary))" } ?? ""
            set(.tuned, .false, .recommendOnly,
                "spec.objective.mode is Recommend: the tuned settings\(found) are published in status.tuning; planning with the spec as written.")
        case .applied(let settings):
            set(.tuned, .true, .tunedSettingsApplied,
                "Planning with the tuned settings\(settings.summary.isEmpty ? "" : ": \(settings.summary)"); knobs the spec sets stay as written.")
        case .invalid(let message):
            set(.tuned, .false, .tunedSpecInvalid, "The tuned settings would make the spec invalid (\(message)); planning with the spec as written.")
        }
    }
}

extension PoolStatusReport {
    /// `status.tuning` as published (with whether it is used), and the event when what the pool plans
    /// with (`Apply`) or what is recommended (`Recommend`) changed since the status last said.
    static func tuning(_ tuning: TuningStatus?, use: TunedPlanning.Use, previous: TuningStatus?) -> (status: TuningStatus?, event: PoolEvent?) {
        guard var published = tuning else { return (nil, nil) }
        published.applied = nil
        switch use {
        case .applied(let settings):
            published.applied = true
            guard previous?.applied != true || previous?.settings != published.settings else { return (published, nil) }
            let before = previous?.applied == true ? previous?.settings?.summary ?? "" : "the spec as written"
            return (published, PoolEvent(type: .normal, reason: .tunedSettingsChanged,
                                         message: "Planning with tuned settings \(settings.summary) (before: \(before)). \(published.message ?? "")"))
        case .recommendOnly(let settings):
            published.applied = false
            guard let settings, previous?.settings != published.settings else { return (published, nil) }
            return (published, PoolEvent(type: .normal, reason: .tuningRecommended,
                                         message: "Tuning recommends \(settings.summary) (mode Recommend: not used). \(published.message ?? "")"))
        case .noObjective, .pending, .historyTooShort, .invalid:
            published.applied = false
            return (published, nil)
        }
    }
}
