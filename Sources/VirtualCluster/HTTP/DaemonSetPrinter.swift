import Foundation
import KubeAPI

/// The server-side table columns kube-apiserver prints for `apps/v1` DaemonSets
/// (pkg/printers/internalversion `printDaemonSet`): counts from the status (0 when a field is
/// omitted, as the Go printer reads a zero), the template's node selector, age; wide adds
/// containers, images and the selector.
enum DaemonSetPrinter {
    static let daemonSets = ResourceKey(group: "apps", resource: "daemonsets")
    private static let prefix = "daemonset-printer:"
    private static let counts = ["Desired": "desiredNumberScheduled", "Current": "currentNumberScheduled", "Ready": "numberReady",
                                 "Up-to-date": "updatedNumberScheduled", "Available": "numberAvailable"]

    static var columns: [PrinterColumn] {
        func column(_ name: String, _ type: String, _ description: String, priority: Int = 0) -> PrinterColumn {
            PrinterColumn(name: name, type: type, description: description, priority: priority, jsonPath: prefix + name)
        }
        return [
            column("Desired", "integer", "The total number of nodes that should be running the daemon pod."),
            column("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
            column("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
            column("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod."),
            column("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available."),
            column("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node."),
            column("Age", "string", "Time since creation."),
            column("Containers", "string", "Names of each container in the template.", priority: 1),
            column("Images", "string", "Images referenced by each container in the template.", priority: 1),
        ]
    }

    static func isComputed(_ column: PrinterColumn) -> Bool { column.jsonPath.hasPrefix(prefix) }

    static func cell(_ object: JSONValue, _ column: PrinterColumn, now: Date) -> JSONValue {
        let name = String(column.jsonPath.dropFirst(prefix.count))
        if let field = counts[name] { return .int(Int64(object["status"]?[field]?.numberValue ?? 0)) }
        let spec = object["spec"]?["template"]?["spec"]
        switch name {
        case "Node Selector":
            let selector = (spec?["nodeSelector"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            return .string(selector.isEmpty ? "<none>" : selector.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ","))
        case "Age":
            let created = object["metadata"]?["creationTimestamp"]?.stringValue.flatMap(Timestamps.date(from:))
            return .string(created.map { HumanDuration.text(now.timeIntervalSince($0)) } ?? "<unknown>")
        case "Containers", "Images":
            let containers = spec?["containers"]?.arrayValue ?? []
            return .string(containers.map { ($0[name == "Containers" ? "name" : "image"]?.stringValue) ?? "" }.joined(separator: ","))
        default:
            return .string("")
        }
    }
}
