import Autoscaling
import Foundation
import Sampling

/// A start-up told in phases: the node's own (request → GPU-allocatable) and those after or before it
/// that the operator learns separately (`StartupPhase.addsToNodeStartup`: Provisioning, Scheduling,
/// ImagePull, ModelLoad). The simulator draws each per node, makes the node useful after their sum,
/// and hands the predictive policy the node start-up and each phase as the operator would have
/// measured them, so the lead time it learns is the phased one (`docs/cold-starts.md`).
public struct PhasedStartup: Sendable, Hashable, CustomStringConvertible {
    public var node: DelayDistribution
    /// Only phases outside the node start-up; `NodeReady` and `GPUReady` are part of `node`.
    public private(set) var phases: [StartupPhase: DelayDistribution]

    /// What one node drew.
    public struct Draw: Sendable, Hashable {
        public var node: TimeInterval
        public var phases: [StartupPhase: TimeInterval]
        public var total: TimeInterval { phases.values.reduce(node, +) }
    }

    public struct Problem: Error, Hashable, CustomStringConvertible {
        public var description: String
    }

    public init(node: DelayDistribution, phases: [StartupPhase: DelayDistribution]) throws(Problem) {
        if let inside = phases.keys.filter({ !$0.addsToNodeStartup }).min(by: { Self.order($0) < Self.order($1) }) {
            throw Problem(description: "\(inside.rawValue) is part of the node start-up; give it in node=")
        }
        self.node = node
        self.phases = phases
    }

    /// The whole start-up, request to serving: what the oracle and reports see.
    public var total: DelayDistribution {
        ordered.reduce(node) { .sum($0, $1.1) }
    }

    /// Draws the node's phases in `StartupPhase` order (so a seed gives the same history).
    public func sample(using generator: inout SplitMix64) -> Draw {
        var draw = Draw(node: node.sample(using: &generator), phases: [:])
        for (phase, distribution) in ordered { draw.phases[phase] = distribution.sample(using: &generator) }
        return draw
    }

    public var description: String {
        (["node \(node)"] + ordered.map { "\($0.0.rawValue) \($0.1)" }).joined(separator: " + ")
    }

    private var ordered: [(StartupPhase, DelayDistribution)] {
        StartupPhase.allCases.compactMap { phase in phases[phase].map { (phase, $0) } }
    }

    private static func order(_ phase: StartupPhase) -> Int {
        StartupPhase.allCases.firstIndex(of: phase) ?? 0
    }
}
