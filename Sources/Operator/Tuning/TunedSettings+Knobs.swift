import FleetcastAPI
import Foundation
import KubeAPI
import Tuning

extension TunedSettings {
    /// The values of `knobs` for the knobs in `fields` (those the spec leaves free); 0 writes "off"
    /// for the learned warm share, so a merge-patched status can never keep an old percentage.
    init(_ knobs: TuningKnobs, fields: Set<Knob>) {
        self.init(fields: Knob.allCases.filter(fields.contains).map(\.fieldPath))
        for knob in fields {
            switch knob {
            case .forecastQuantile: forecastQuantile = knobs.forecastQuantile
            case .minIdleNodes: minIdleNodes = knobs.minIdleNodes
            case .minIdlePercent: minIdlePercent = knobs.minIdlePercent
            case .learnedMaxPercent: learnedMaxPercent = knobs.learnedMaxPercent ?? 0
            case .stabilizationWindow: stabilizationWindow = KubeDuration(seconds: knobs.stabilizationWindow)
            case .startupQuantile: startupQuantile = knobs.startupQuantile
            }
        }
    }

    /// The knobs `fields` names.
    var knobs: Set<Knob> {
        Set((fields ?? []).compactMap { field in Knob.allCases.first { $0.fieldPath == field } })
    }

    /// `base` with the tuned values of the knobs in `only`; a knob without a value keeps `base`'s.
    func applied(to base: TuningKnobs, only: Set<Knob>) -> TuningKnobs {
        var knobs = base
        for knob in only {
            switch knob {
            case .forecastQuantile: knobs.forecastQuantile = forecastQuantile ?? knobs.forecastQuantile
            case .minIdleNodes: knobs.minIdleNodes = minIdleNodes ?? knobs.minIdleNodes
            case .minIdlePercent: knobs.minIdlePercent = minIdlePercent ?? knobs.minIdlePercent
            case .learnedMaxPercent: if let percent = learnedMaxPercent { knobs.learnedMaxPercent = percent > 0 ? percent : nil }
            case .stabilizationWindow: knobs.stabilizationWindow = stabilizationWindow.map { Double($0.nanoseconds) / 1e9 } ?? knobs.stabilizationWindow
            case .startupQuantile: knobs.startupQuantile = startupQuantile ?? knobs.startupQuantile
            }
        }
        return knobs
    }

    /// `knob=value` for each tuned knob, for events and messages.
    var summary: String {
        let knobs = self.knobs
        let values = applied(to: TuningKnobs(forecastQuantile: 0, minIdleNodes: 0, minIdlePercent: 0, learnedMaxPercent: nil,
                                             stabilizationWindow: 0, startupQuantile: 0), only: knobs)
        return Knob.allCases.filter(knobs.contains).map { "\($0.fieldPath)=\(values.text($0))" }.joined(separator: ", ")
    }
}
