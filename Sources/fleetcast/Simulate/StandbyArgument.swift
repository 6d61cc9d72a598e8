import Autoscaling
import FleetcastAPI
import Foundation

/// `fleetcast simulate --standby max=N[,min=N][,percent=P][,price=F]`: a standby tier for a what-if
/// without editing the pool's YAML (`spec.warmPool.standby` needs a target, which a replay does not).
/// `price` is a standby node-hour's price as a fraction of a running one's (default 0.1).
enum StandbyArgument {
    static func parse(_ text: String) throws(SimulationInputs.Problem) -> StandbyPolicy {
        var maxNodes: Int?, minNodes = 0, percent = 0.0, price = GPUPoolDefaults.standbyCostFraction
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw problem(text, "expected KEY=VALUE") }
            switch pair[0] {
            case "max": maxNodes = try count(pair[1], key: "max", in: text)
            case "min": minNodes = try count(pair[1], key: "min", in: text)
            case "percent":
                guard let value = Double(pair[1]), value >= 0, value <= 100 else { throw problem(text, "percent must be 0–100") }
                percent = value
            case "price":
                guard let value = Double(pair[1]), value >= 0, value.isFinite else { throw problem(text, "price must be a fraction ≥ 0 of a running node-hour's price") }
                price = value
            default: throw problem(text, "unknown key \(pair[0]) (expected max, min, percent, price)")
            }
        }
        guard let maxNodes else { throw problem(text, "max=N is required") }
        guard maxNodes >= minNodes else { throw problem(text, "max must be at least min (\(minNodes))") }
        return StandbyPolicy(minNodes: minNodes, maxNodes: maxNodes, percent: percent, costRatio: price)
    }

    private static func count(_ value: String, key: String, in text: String) throws(SimulationInputs.Problem) -> Int {
        guard let number = Int(value), GPUPoolLimits.nodes.contains(number) else {
            throw problem(text, "\(key) must be a whole number of nodes, 0–\(GPUPoolLimits.nodes.upperBound)")
        }
        return number
    }

    private static func problem(_ text: String, _ detail: String) -> SimulationInputs.Problem {
        SimulationInputs.Problem(description: "--standby \(text): \(detail), e.g. max=8,percent=20,price=0.1")
    }
}
