import Autoscaling
import Foundation
import PoolPolicy

/// A knob the tuner may turn: the spec fields whose effect nobody can predict by reading them.
public enum Knob: String, Sendable, Hashable, CaseIterable, Codable {
    /// `spec.forecast.quantile`
    case forecastQuantile
    /// `spec.warmPool.minIdleNodes`
    case minIdleNodes
    /// `spec.warmPool.minIdlePercent`
    case minIdlePercent
    /// `spec.warmPool.learnedMaxPercent` (absent: the learned rule is off)
    case learnedMaxPercent
    /// `spec.scaleDown.stabilizationWindow`
    case stabilizationWindow
    /// `spec.startup.quantile`
    case startupQuantile

    /// The spec field the knob is.
    public var fieldPath: String {
        switch self {
        case .forecastQuantile: return "spec.forecast.quantile"
        case .minIdleNodes: return "spec.warmPool.minIdleNodes"
        case .minIdlePercent: return "spec.warmPool.minIdlePercent"
        case .learnedMaxPercent: return "spec.warmPool.learnedMaxPercent"
        case .stabilizationWindow: return "spec.scaleDown.stabilizationWindow"
        case .startupQuantile: return "spec.startup.quantile"
        }
    }
}

/// One setting of every knob. Values stay on the grid the spec can express (whole percents, whole
/// minutes), so a tuned setting written back into a spec means exactly what was replayed.
public struct TuningKnobs: Sendable, Hashable, Codable, CustomStringConvertible {
    public var forecastQuantile: Double
    public var minIdleNodes: Int
    public var minIdlePercent: Int
    /// nil: the learned warm share is off.
    public var learnedMaxPercent: Int?
    /// Seconds.
    public var stabilizationWindow: TimeInterval
    public var startupQuantile: Double

    public init(forecastQuantile: Double, minIdleNodes: Int, minIdlePercent: Int, learnedMaxPercent: Int?,
                stabilizationWindow: TimeInterval, startupQuantile: Double) {
        self.forecastQuantile = forecastQuantile
        self.minIdleNodes = minIdleNodes
        self.minIdlePercent = minIdlePercent
        self.learnedMaxPercent = learnedMaxPercent
        self.stabilizationWindow = stabilizationWindow
        self.startupQuantile = startupQuantile
    }

    /// The knobs as `settings` hold them.
    public init(_ settings: DecisionSettings) {
        let warm = settings.planner.warmPool
        self.init(forecastQuantile: settings.forecast.quantile, minIdleNodes: warm.minIdleNodes,
                  minIdlePercent: Int(warm.minIdlePercent.rounded()), learnedMaxPercent: warm.learnedMaxPercent.map { Int($0.rounded()) },
                  stabilizationWindow: settings.planner.scaleDown.stabilizationWindow, startupQuantile: settings.leadTime.quantile)
    }

    /// `settings` with these knobs; everything else (limits, budget, price, bins, schedules) unchanged.
    public func applied(to settings: DecisionSettings) -> DecisionSettings {
        var tuned = settings
        let warm = settings.planner.warmPool
        tuned.planner.warmPool = WarmPoolPolicy(minIdleNodes: minIdleNodes, maxIdleNodes: warm.maxIdleNodes,
                                                minIdlePercent: Double(minIdlePercent), learnedMaxPercent: learnedMaxPercent.map(Double.init))
        tuned.planner.scaleDown.stabilizationWindow = stabilizationWindow
        tuned.leadTime.quantile = startupQuantile
        tuned.forecast.quantile = forecastQuantile
        return tuned
    }

    /// The value of one knob, as the spec writes it.
    public func text(_ knob: Knob) -> String {
        switch knob {
        case .forecastQuantile: return Self.format(forecastQuantile)
        case .minIdleNodes: return "\(minIdleNodes)"
        case .minIdlePercent: return "\(minIdlePercent)"
        case .learnedMaxPercent: return learnedMaxPercent.map { "\($0)" } ?? "off"
        case .stabilizationWindow: return "\(Int(stabilizationWindow / 60))m"
        case .startupQuantile: return Self.format(startupQuantile)
        }
    }

    public var description: String {
        Knob.allCases.map { "\($0.rawValue)=\(text($0))" }.joined(separator: " ")
    }

    static func format(_ value: Double) -> String {
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// The values the search tries for each knob: a few per knob, spread over the range where they
/// change the outcome (a forecast quantile below 0.8 or a warm share above a third of the pool is
/// never the cheapest way to an objective worth stating).
public enum KnobGrid {
    public static let forecastQuantiles = [0.8, 0.9, 0.95, 0.99]
    public static let minIdleNodes = [0, 1, 2, 4, 8, 16]
    public static let minIdlePercents = [0, 2, 4, 8, 16]
    public static let learnedMaxPercents: [Int?] = [nil, 4, 8, 16, 32]
    public static let stabilizationWindows: [TimeInterval] = [300, 900, 1800, 3600]
    public static let startupQuantiles = [0.5, 0.75, 0.9, 0.95]

    /// `base` with `knob` set to each of its values that keep the pool's spec valid: a warm floor
    /// never above `nodes.max` nor above `warmPool.maxIdleNodes`.
    public static func variants(of base: TuningKnobs, turning knob: Knob, planner: PlannerPolicy) -> [TuningKnobs] {
        var result: [TuningKnobs] = []
        func add(_ change: (inout TuningKnobs) -> Void) {
            var knobs = base
            change(&knobs)
            if !result.contains(knobs) { result.append(knobs) }
        }
        switch knob {
        case .forecastQuantile: for value in forecastQuantiles { add { $0.forecastQuantile = value } }
        case .minIdleNodes:
            let ceiling = min(planner.maxNodes, planner.warmPool.maxIdleNodes ?? Int.max)
            for value in minIdleNodes where value <= ceiling { add { $0.minIdleNodes = value } }
        case .minIdlePercent: for value in minIdlePercents { add { $0.minIdlePercent = value } }
        case .learnedMaxPercent: for value in learnedMaxPercents { add { $0.learnedMaxPercent = value } }
        case .stabilizationWindow: for value in stabilizationWindows { add { $0.stabilizationWindow = value } }
        case .startupQuantile: for value in startupQuantiles { add { $0.startupQuantile = value } }
        }
        return result
    }
}
