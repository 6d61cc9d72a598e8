import Cron
import Foundation

/// The kinds of fleet a synthetic trace imitates.
public enum TraceProfile: String, CaseIterable, Sendable, Hashable {
    /// Online inference: a strong daily cycle (trough 01–05 h, peak around 20–21 h), quieter weekends,
    /// short traffic bursts, slow growth. Shaped like the servegen trace.
    case inferenceDiurnal = "inference-diurnal"
    /// A shared training cluster: GPU jobs of 1–64 GPUs lasting minutes to days, submitted mostly in
    /// working hours on weekdays, with hyper-parameter sweeps and multi-day swings. Shaped like philly.
    case trainingCluster = "training-cluster"
    /// Both on one pool: an inference service next to a training queue.
    case mixed
}

/// A declared recurring load added on top of the profile, such as a nightly retraining job.
public struct TraceSchedule: Sendable, Hashable {
    public var window: RecurringWindow
    public var gpus: Double

    public init(window: RecurringWindow, gpus: Double) {
        self.window = window
        self.gpus = gpus
    }
}

/// Everything that determines a synthetic trace; equal configurations give identical traces.
public struct SyntheticTraceConfiguration: Sendable, Hashable {
    public var profile: TraceProfile
    public var days: Int
    public var seed: UInt64
    /// Sample spacing in seconds (60: one row per minute, like the real traces).
    public var step: Double
    /// The instant of t = 0, which should be a local midnight: it anchors the day of the week and the
    /// schedules' cron windows. Defaults to Monday 2026-01-05 00:00 UTC.
    public var origin: Date
    public var schedules: [TraceSchedule]

    /// Monday 2026-01-05T00:00:00Z.
    public static let defaultOrigin = Date(timeIntervalSince1970: 1_767_571_200)

    public init(profile: TraceProfile, days: Int, seed: UInt64, step: Double = 60,
                origin: Date = SyntheticTraceConfiguration.defaultOrigin, schedules: [TraceSchedule] = []) {
        self.profile = profile
        self.days = days
        self.seed = seed
        self.step = step
        self.origin = origin
        self.schedules = schedules
    }
}
