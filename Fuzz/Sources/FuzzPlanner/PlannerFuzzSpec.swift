import FleetcastAPI
import Foundation
import FuzzSupport

/// A GPUPool built from fuzz bytes as JSON and decoded as the API server's would be, so every field the
/// spec has is reachable, including numbers at and beyond their limits.
enum PlannerFuzzSpec {
    static func pool(_ input: inout FuzzInput) -> GPUPool? {
        var spec: [String: Any] = [
            "target": ["apiVersion": "cluster.x-k8s.io/v1beta1", "kind": "MachineDeployment", "name": "md",
                       "semantics": input.pick(["TotalNodes", "Headroom"])],
            "demand": ["pods": ["selector": ["matchLabels": ["app": "train"]]]],
            "nodes": nodes(&input),
            "mode": input.byte() < 224 ? "Active" : "ForecastOnly",
        ]
        if input.bool() {
            spec["forecast"] = ["step": duration(&input), "history": duration(&input),
                                "quantile": input.pick([0.5, 0.9, 0.95, 0.99, 1.0, 0.0]),
                                "seasonalities": input.bool() ? [duration(&input)] : []]
        }
        if input.bool() {
            spec["schedules"] = [["name": "nightly", "cron": input.pick(["0 2 * * *", "*/5 * * * *", "@hourly", "30 9 * * 1-5"]),
                                  "duration": duration(&input), "gpus": count(&input),
                                  "timeZone": input.pick(["UTC", "Europe/Berlin", "America/New_York"])]]
        }
        if input.bool() {
            spec["warmPool"] = ["minIdleNodes": count(&input), "maxIdleNodes": count(&input), "minIdlePercent": input.integer(in: 0...100)]
        }
        if input.bool() {
            spec["startup"] = ["expected": duration(&input), "quantile": input.pick([0.5, 0.9, 0.99])]
        }
        if input.bool() {
            spec["scaleDown"] = ["stabilizationWindow": duration(&input), "maxNodesPerStep": count(&input)]
        }
        if input.bool() {
            spec["budget"] = ["maxHourlyCost": money(&input)]
        }
        let object: [String: Any] = ["apiVersion": "fleetcast.dev/v1alpha1", "kind": "GPUPool",
                                     "metadata": ["name": "fuzz", "namespace": "default"], "spec": spec]
        guard let json = try? JSONSerialization.data(withJSONObject: object) else { return nil }
        return try? JSONDecoder().decode(GPUPool.self, from: json)
    }

    private static func nodes(_ input: inout FuzzInput) -> [String: Any] {
        var nodes: [String: Any] = ["selector": ["matchLabels": ["pool": "a100"]],
                                    "gpusPerNode": input.pick([1, 2, 4, 8, 16, 0, Int.max]),
                                    "min": count(&input), "max": count(&input)]
        if input.bool() { nodes["hourlyCost"] = money(&input) }
        return nodes
    }

    /// Mostly small counts; the extremes now and then.
    private static func count(_ input: inout FuzzInput) -> Int {
        let choice = input.byte()
        if choice >= 250 { return input.pick([Int.max, Int(Int32.max), 1_000_000, -1]) }
        return Int(choice % 40)
    }

    private static func money(_ input: inout FuzzInput) -> Double {
        input.byte() >= 240 ? input.pick([1e308, 1e-300, 0.0, 5e-324, 1e15]) : input.double(in: 0...200)
    }

    /// A Go duration: everyday values, and the extremes (1ns, hundreds of thousands of hours).
    private static func duration(_ input: inout FuzzInput) -> String {
        switch input.byte() % 8 {
        case 0: return "1ns"
        case 1: return "\(input.integer(in: 1...1_000))ms"
        case 2: return "\(input.integer(in: 0...2_562_047))h"
        case 3: return "\(input.integer(in: 1...48))h"
        case 4: return "\(input.integer(in: 1...7))d"
        default: return "\(input.integer(in: 1...3_600))s"
        }
    }
}
