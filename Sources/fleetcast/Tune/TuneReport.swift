import FleetcastAPI
import Foundation
import Tuning

/// What `fleetcast tune` prints: the frontier of the settings tried, the pool as written, the
/// recommendation and the spec fields that carry it.
struct TuneReport: Encodable {
    var pool: String
    var trace: String
    var objective: TuningObjective
    var scoredDays: Double
    var settingsTried: Int
    var rounds: Int
    var forecasterRuns: Int
    var cpuSeconds: Double
    var tunedKnobs: [String]
    var met: Bool
    var asWritten: ReplayScore
    var recommended: ReplayScore
    var frontier: [ReplayScore]
    /// Spec field path → value, for the free knobs whose recommended value differs from the pool's.
    var specChanges: [String: String]
    /// How the margin and judgement were chosen by backtest (nil: too few scored days; the defaults).
    var backtest: MarginBacktest.Choice?
    /// With --families: each family's frontier over its own knob (predictive's over the tuner's settings).
    var families: [FamilyPoint]?

    init(pool: String, trace: String, spec: GPUPoolSpec, outcome: TuningOutcome, scoredDays: Double, cpuSeconds: Double) {
        self.pool = pool
        self.trace = trace
        objective = outcome.objective
        self.scoredDays = scoredDays
        settingsTried = outcome.tried.count
        rounds = outcome.rounds
        forecasterRuns = outcome.fits
        self.cpuSeconds = cpuSeconds
        tunedKnobs = Knob.allCases.filter(outcome.free.contains).map(\.rawValue)
        met = outcome.met
        backtest = outcome.backtest
        asWritten = outcome.baseline
        recommended = outcome.recommended
        frontier = outcome.frontier
        var changes: [String: String] = [:]
        for knob in Knob.allCases where outcome.free.contains(knob) && outcome.recommended.knobs.text(knob) != outcome.baseline.knobs.text(knob) {
            changes[knob.fieldPath] = outcome.recommended.knobs.text(knob)
        }
        specChanges = changes
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    func table() -> String {
        var out = "pool \(pool), trace \(trace), \(String(format: "%.1f", scoredDays)) days scored\n"
        out += "objective: \(objective.description) on \(objective.judgement)\n"
        if let backtest {
            let passing = backtest.trials.filter(\.met).count
            out += "  (chosen by backtest: each of \(backtest.heldOutDays) days held out in turn, \(passing) of \(backtest.trials.count) rules "
                + "met the objective on the held-out days with a \(Int((MarginBacktest().heldOutMargin * 100).rounded())) % reserve; the cheapest is used)\n"
        }
        out += "tuned knobs: \(tunedKnobs.isEmpty ? "none (every knob is set in the spec)" : tunedKnobs.joined(separator: ", "))\n"
        out += "replayed \(settingsTried) settings in \(rounds) rounds, \(forecasterRuns) forecaster runs, \(String(format: "%.1f", cpuSeconds)) CPU-s\n\n"
        out += "cost versus served (settings no other tried setting beats on both; * recommended, = as written):\n"
        let header = ["", "cost", "servedFraction", "worstDayServed", "waitP", "worstDayWait", "quantile", "minIdleNodes", "minIdlePercent",
                      "learnedMaxPercent", "stabilization", "startupQuantile"]
        var rows = [header]
        var shown = frontier
        for extra in [asWritten, recommended] where !shown.contains(where: { $0.knobs == extra.knobs }) { shown.append(extra) }
        for score in shown.sorted(by: { $0.cost < $1.cost }) {
            let mark = (score.knobs == recommended.knobs ? "*" : "") + (score.knobs == asWritten.knobs ? "=" : "")
            rows.append([mark, String(format: "%.1f", score.cost), Self.percent(score.servedFraction), Self.percent(score.worstDayServedFraction),
                         "\(Int(score.wait.rounded()))s", "\(Int(score.worstDayWait.rounded()))s"]
                        + [Knob.forecastQuantile, .minIdleNodes, .minIdlePercent, .learnedMaxPercent, .stabilizationWindow, .startupQuantile]
                            .map { score.knobs.text($0) })
        }
        out += Self.aligned(rows)
        out += "\nas written:  cost \(String(format: "%.1f", asWritten.cost)), served \(Self.percent(asWritten.servedFraction)), worst day \(Self.percent(asWritten.worstDayServedFraction))\n"
        let ratio = asWritten.cost > 0 ? recommended.cost / asWritten.cost : 1
        out += "recommended: cost \(String(format: "%.1f", recommended.cost)) (\(String(format: "%.3f", ratio))× as written), served \(Self.percent(recommended.servedFraction)), worst day \(Self.percent(recommended.worstDayServedFraction)) — objective \(met ? "met" : "NOT met by any setting tried; this is the closest")\n"
        if let families {
            out += "\nfrontier of each family on the same days (cost, served, worst day):\n"
            var rows = [["family", "cost", "servedFraction", "worstDayServed", "setting"]]
            for point in families {
                rows.append([point.family.rawValue, String(format: "%.1f", point.cost), Self.percent(point.servedFraction),
                             Self.percent(point.worstDayServedFraction), point.setting])
            }
            out += Self.aligned(rows, left: [4])
        }
        if specChanges.isEmpty {
            out += "spec: no change\n"
        } else {
            out += "spec fields to set:\n"
            for (path, value) in specChanges.sorted(by: { $0.key < $1.key }) { out += "  \(path): \(value)\n" }
        }
        return out
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.4f%%", value * 100)
    }

    /// Columns right-aligned, except the first and `left` (text columns).
    static func aligned(_ rows: [[String]], left: Set<Int> = []) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == 0 || left.contains(index) ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
