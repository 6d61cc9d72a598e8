import FleetcastAPI
import Foundation
import KubeAPI

extension GPUPoolSpec {
    /// The knobs the tuner may turn: those the spec leaves unset or at their default. The API server
    /// fills defaults in (the CRD defaults `warmPool`, `startup` and `scaleDown`), so a stored pool
    /// cannot tell "left at the default" from "wrote the default"; a knob written with any other value
    /// is the user's and is never tuned. (docs/tuning.md says how to pin a knob at its default: give
    /// it a value next to it, e.g. `quantile: 0.951`.)
    public var tunableKnobs: Set<Knob> {
        var free = Set<Knob>()
        if (forecast?.quantile ?? GPUPoolDefaults.forecastQuantile) == GPUPoolDefaults.forecastQuantile { free.insert(.forecastQuantile) }
        if effectiveMinIdleNodes == GPUPoolDefaults.minIdleNodes { free.insert(.minIdleNodes) }
        if (warmPool?.minIdlePercent ?? 0) == 0 { free.insert(.minIdlePercent) }
        if warmPool?.learnedMaxPercent == nil { free.insert(.learnedMaxPercent) }
        if effectiveStabilizationWindow == GPUPoolDefaults.stabilizationWindow { free.insert(.stabilizationWindow) }
        if effectiveStartupQuantile == GPUPoolDefaults.startupQuantile { free.insert(.startupQuantile) }
        return free
    }

    /// The spec with `knobs` written into the fields named in `only`; the other fields as they were.
    public func applying(_ knobs: TuningKnobs, only: Set<Knob>) -> GPUPoolSpec {
        var spec = self
        for knob in Knob.allCases where only.contains(knob) {
            switch knob {
            case .forecastQuantile:
                var forecast = spec.forecast ?? ForecastSpec()
                forecast.quantile = knobs.forecastQuantile
                spec.forecast = forecast
            case .minIdleNodes:
                var warm = spec.warmPool ?? WarmPoolSpec()
                warm.minIdleNodes = knobs.minIdleNodes
                spec.warmPool = warm
            case .minIdlePercent:
                var warm = spec.warmPool ?? WarmPoolSpec()
                warm.minIdlePercent = knobs.minIdlePercent
                spec.warmPool = warm
            case .learnedMaxPercent:
                var warm = spec.warmPool ?? WarmPoolSpec()
                warm.learnedMaxPercent = knobs.learnedMaxPercent
                spec.warmPool = warm
            case .stabilizationWindow:
                var scaleDown = spec.scaleDown ?? ScaleDownSpec()
                scaleDown.stabilizationWindow = KubeDuration(nanoseconds: Int64(knobs.stabilizationWindow) * 1_000_000_000)
                spec.scaleDown = scaleDown
            case .startupQuantile:
                var startup = spec.startup ?? StartupSpec()
                startup.quantile = knobs.startupQuantile
                spec.startup = startup
            }
        }
        return spec
    }
}

extension TuningObjective {
    /// The objective a pool's `spec.objective` states (defaults applied), with the tuner's margin.
    public init(spec: ObjectiveSpec, margin: Double = TuningObjective.defaultMargin) {
        self.init(servedFraction: spec.servedFraction, maxWait: spec.maxWait.map { Double($0.nanoseconds) / 1e9 },
                  waitQuantile: spec.effectiveWaitQuantile, margin: margin)
    }
}
