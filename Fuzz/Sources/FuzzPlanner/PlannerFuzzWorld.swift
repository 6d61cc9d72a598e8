import Foundation
import FuzzSupport
import KubeAPI

/// Pods and nodes of one reconcile, from fuzz bytes. GPU quantities are arbitrary text half the time
/// (what any user who can create a pod can write), and well-formed numbers of any size otherwise.
enum PlannerFuzzWorld {
    static func pods(_ input: inout FuzzInput, resource: String) -> [Pod] {
        (0..<input.integer(in: 0...12)).map { index in
            let phase = input.pick(["Running", "Pending", "Pending", "Succeeded", "Failed"])
            let container = Container(name: "c", resources: ResourceRequirements(requests: [resource: quantity(&input)]))
            var spec = PodSpec(containers: [container], nodeName: phase == "Running" ? "node-\(index % 4)" : nil)
            if input.byte() >= 240 {
                var initContainer = container
                initContainer.resources = ResourceRequirements(limits: [resource: quantity(&input)])
                spec.initContainers = [initContainer]
            }
            return Pod(metadata: ObjectMeta(name: "pod-\(index)", namespace: "default"), spec: spec, status: PodStatus(phase: phase))
        }
    }

    static func nodes(_ input: inout FuzzInput, resource: String) -> [KubeNode] {
        (0..<input.integer(in: 0...12)).map { index in
            let ready = input.byte() >= 48
            var condition = NodeCondition(type: "Ready", status: ready ? "True" : "False")
            condition.lastTransitionTime = "2025-06-15T10:0\(index % 10):00Z"
            let status = NodeStatus(allocatable: [resource: quantity(&input)], conditions: [condition])
            var metadata = ObjectMeta(name: "node-\(index)")
            metadata.creationTimestamp = "2025-06-15T09:00:00Z"
            return KubeNode(metadata: metadata, spec: NodeSpec(unschedulable: input.byte() >= 250 ? true : nil), status: status)
        }
    }

    private static func quantity(_ input: inout FuzzInput) -> String {
        switch input.byte() % 16 {
        case 0: return input.pick(["9223372036854775807", "1e30", "1e308", "nan", "inf", "-4", "500m", "2Ki", "1E3", "0x10", ""])
        case 1:
            let length = input.integer(in: 0...12)
            return String(decoding: (0..<length).map { _ in input.byte() }, as: UTF8.self)
        case 2: return String(input.anyDouble())
        default: return String(input.integer(in: 0...16))
        }
    }
}
