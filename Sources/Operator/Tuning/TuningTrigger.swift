import FleetcastAPI
import Foundation
import KubeAPI

/// Why a pool is tuned now. The tuning controller asks `due` for every pool with `spec.objective`
/// each time it looks (once a minute); a pool is tuned at most once per look.
enum TuningTrigger: Sendable, Hashable {
    /// The pool has never been tuned (by this operator, or since its status was lost).
    case firstTuning
    /// `metadata.generation` moved past the one the last tuning was computed for: the spec changed.
    case specChanged
    /// The `fleetcast.dev/tune-now` annotation carries a value not handled yet.
    case requested(String)
    /// A day has passed since the last tuning (an hour, when that one found too little history).
    case daily

    /// The annotation that asks for a tuning now. Any new value is a new request; the value handled
    /// is recorded in `status.tuning.tuneRequest` (as `kubectl rollout restart` stamps a value that
    /// changes), so the annotation may stay on the pool: `kubectl annotate gpupool a100
    /// fleetcast.dev/tune-now="$(date -u +%FT%TZ)" --overwrite`.
    static let annotation = "fleetcast.dev/tune-now"

    /// Why `pool` is due for a tuning at `now` given its last one, or nil when it is not.
    /// - Parameters:
    ///   - interval: the cadence (a day).
    ///   - retryInterval: the cadence while the history is too short (an hour): it grows by the minute.
    static func due(_ pool: GPUPool, last: TuningStatus?, now: Date, interval: TimeInterval = 86_400,
                    retryInterval: TimeInterval = 3600) -> TuningTrigger? {
        guard pool.spec.objective != nil else { return nil }
        if let request = pool.metadata.annotations?[annotation], request != last?.tuneRequest {
            return .requested(request)
        }
        guard let last, let time = last.lastTuneTime.flatMap(KubeTime.parse) else { return .firstTuning }
        if last.observedGeneration != pool.metadata.generation { return .specChanged }
        let cadence = last.result == TuningResult.historyTooShort.rawValue ? retryInterval : interval
        return now.timeIntervalSince(time) >= cadence ? .daily : nil
    }

    var description: String {
        switch self {
        case .firstTuning: return "first tuning"
        case .specChanged: return "spec changed"
        case .requested(let value): return "\(Self.annotation)=\(value)"
        case .daily: return "daily"
        }
    }
}
