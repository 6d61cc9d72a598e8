import Foundation
import KubeAPI
import Testing
@testable import VirtualInfrastructure

@Suite("Placement decisions")
struct PlacementPlannerTests {
    static let gpuTaint = Taint(key: "nvidia.com/gpu", value: "present", effect: "NoSchedule")

    static func node(_ name: String, gpus: Int = 8, ready: Bool = true, occupants: [SchedulableNode.Occupant] = [],
                     labels: [String: String] = ["pool": "a"]) -> SchedulableNode {
        SchedulableNode(name: name, labels: labels, taints: [gpuTaint], isReady: ready, isCordoned: false,
                        allocatableGPUs: gpus, occupants: occupants)
    }

    static func occupant(_ key: String, priority: Int, gpus: Int) -> SchedulableNode.Occupant {
        .init(key: key, priority: priority, gpus: gpus, created: "2027-01-01T00:00:00Z")
    }

    static func pod(gpus: Int, selector: [String: String]? = nil, tolerates: Bool = true, affinity: [NodeSelectorTerm]? = nil) -> Pod {
        var spec = PodSpec(containers: [Container(name: "c", resources: ResourceRequirements(limits: ["nvidia.com/gpu": String(gpus)]))],
                           nodeSelector: selector,
                           tolerations: tolerates ? [Toleration(key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule")] : nil)
        if let affinity {
            spec.affinity = Affinity(nodeAffinity: NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: affinity)))
        }
        return Pod(metadata: ObjectMeta(name: "p", namespace: "default"), spec: spec)
    }

    static func term(_ requirements: NodeSelectorRequirement...) -> NodeSelectorTerm {
        NodeSelectorTerm(matchExpressions: requirements)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var nodes: [SchedulableNode]
        var pod: Pod
        var priority: Int
        var expected: PlacementDecision?   // nil: unschedulable
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "most-allocated node that fits", nodes: [node("n1"), node("n2", occupants: [occupant("x", priority: 0, gpus: 4)])],
             pod: pod(gpus: 4), priority: 0, expected: .bind(node: "n2")),
        Case(name: "not ready nodes are skipped", nodes: [node("n1", ready: false), node("n2")],
             pod: pod(gpus: 8), priority: 0, expected: .bind(node: "n2")),
        Case(name: "selector mismatch", nodes: [node("n1")], pod: pod(gpus: 1, selector: ["pool": "b"]), priority: 0, expected: nil),
        Case(name: "required node affinity In picks the matching node",
             nodes: [node("n1"), node("n2", labels: ["pool": "b"])],
             pod: pod(gpus: 1, affinity: [term(.init(key: "pool", operator: "In", values: ["b", "c"]))]), priority: 0, expected: .bind(node: "n2")),
        Case(name: "node affinity terms are ORed",
             nodes: [node("n1", labels: ["pool": "a", "gen": "9"])],
             pod: pod(gpus: 1, affinity: [term(.init(key: "pool", operator: "In", values: ["z"])), term(.init(key: "gen", operator: "Gt", values: ["8"]))]),
             priority: 0, expected: .bind(node: "n1")),
        Case(name: "node affinity expressions are ANDed",
             nodes: [node("n1", labels: ["pool": "a"])],
             pod: pod(gpus: 1, affinity: [term(.init(key: "pool", operator: "Exists"), .init(key: "spot", operator: "Exists"))]),
             priority: 0, expected: nil),
        Case(name: "node affinity NotIn and DoesNotExist",
             nodes: [node("n1", labels: ["pool": "a", "spot": "true"]), node("n2", labels: ["pool": "c"])],
             pod: pod(gpus: 1, affinity: [term(.init(key: "pool", operator: "NotIn", values: ["a", "b"]), .init(key: "spot", operator: "DoesNotExist"))]),
             priority: 0, expected: .bind(node: "n2")),
        Case(name: "an empty affinity term matches nothing", nodes: [node("n1")],
             pod: pod(gpus: 1, affinity: [NodeSelectorTerm()]), priority: 0, expected: nil),
        Case(name: "untolerated taint", nodes: [node("n1")], pod: pod(gpus: 1, tolerates: false), priority: 0, expected: nil),
        Case(name: "equal priority is never preempted", nodes: [node("n1", occupants: [occupant("x", priority: 0, gpus: 8)])],
             pod: pod(gpus: 1), priority: 0, expected: nil),
        Case(name: "fewest victims, lowest priority first",
             nodes: [node("n1", occupants: [occupant("a", priority: -10, gpus: 2), occupant("b", priority: -10, gpus: 2),
                                            occupant("c", priority: -10, gpus: 4)]),
                     node("n2", occupants: [occupant("d", priority: -5, gpus: 8)])],
             pod: pod(gpus: 8), priority: 0, expected: .preempt(node: "n2", victims: ["d"])),
        Case(name: "only as many victims as needed",
             nodes: [node("n1", occupants: [occupant("a", priority: -10, gpus: 4), occupant("b", priority: -20, gpus: 4)])],
             pod: pod(gpus: 4), priority: 0, expected: .preempt(node: "n1", victims: ["b"])),
    ]

    @Test(arguments: cases)
    func decides(_ example: Case) {
        let decision = PlacementPlanner(nodes: example.nodes).place(example.pod, priority: example.priority)
        if let expected = example.expected {
            #expect(decision == expected)
        } else if case .unschedulable(let message) = decision {
            #expect(message.hasPrefix("0/\(example.nodes.count) nodes are available:"))
        } else {
            Issue.record("expected unschedulable, got \(decision)")
        }
    }
}
