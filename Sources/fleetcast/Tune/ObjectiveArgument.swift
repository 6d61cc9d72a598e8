import Foundation
import Tuning

/// `--objective served=0.999,wait=2m,waitQuantile=0.95`: the objective to tune for, as the spec's
/// `objective` would state it (which it replaces).
enum ObjectiveArgument {
    static func parse(_ texts: [String]) throws(SimulationInputs.Problem) -> TuningObjective? {
        let parts = texts.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        var served: Double?, wait: TimeInterval?, quantile: Double?
        for part in parts {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw problem(part, "expected key=value (served=0.999, wait=2m, waitQuantile=0.95)") }
            switch pair[0] {
            case "served", "servedFraction":
                guard let value = Double(pair[1]), value > 0, value < 1 else { throw problem(part, "served must be greater than 0 and less than 1") }
                served = value
            case "wait", "maxWait":
                let seconds = try SimulationInputs.duration(pair[1], option: "--objective wait")
                guard seconds >= 1, seconds <= 86_400 else { throw problem(part, "wait must be between 1s and 24h") }
                wait = seconds
            case "waitQuantile":
                guard let value = Double(pair[1]), value > 0, value < 1 else { throw problem(part, "waitQuantile must be greater than 0 and less than 1") }
                quantile = value
            default:
                throw problem(part, "unknown key \(pair[0]) (use served, wait, waitQuantile)")
            }
        }
        if quantile != nil, wait == nil { throw problem(parts.joined(separator: ","), "waitQuantile needs wait") }
        return TuningObjective(servedFraction: served, maxWait: wait, waitQuantile: quantile ?? 0.95)
    }

    private static func problem(_ text: String, _ message: String) -> SimulationInputs.Problem {
        SimulationInputs.Problem(description: "--objective \(text): \(message)")
    }
}
