import Foundation
import KubeAPI

/// `meta.k8s.io/v1` Table responses for `kubectl get`: `Name` plus the CRD's printer columns (or
/// `Age` when it declares none), rows carrying the object as PartialObjectMetadata.
struct TableRendering {
    let type: ResourceType
    let version: String
    /// Ages in `date` columns are measured from this instant.
    let now: Date

    var columns: [PrinterColumn] {
        var columns = [PrinterColumn(name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.",
                                     priority: 0, jsonPath: ".metadata.name")]
        let declared = type.printerColumns[version] ?? []
        if declared.isEmpty, let batch = BatchPrinters.columns(for: type.key) {
            columns += batch
        } else if declared.isEmpty, type.key == DaemonSetPrinter.daemonSets {
            columns += DaemonSetPrinter.columns
        } else if declared.isEmpty {
            if type.key == ResourceKey(group: "", resource: "pods") {
                columns.append(PrinterColumn(name: "Status", type: "string", description: "The pod phase.", priority: 0, jsonPath: ".status.phase"))
                columns.append(PrinterColumn(name: "Node", type: "string", description: "The bound node.", priority: 1, jsonPath: ".spec.nodeName"))
            }
            if type.key == Self.nodes {
                columns.append(PrinterColumn(name: "Status", type: "string", description: "Ready or NotReady, and SchedulingDisabled when cordoned.",
                                             priority: 0, jsonPath: Self.nodeStatusPath))
            }
            columns.append(PrinterColumn(name: "Age", type: "date", description: "Time since creation.", priority: 0,
                                         jsonPath: ".metadata.creationTimestamp"))
        } else {
            columns += declared
        }
        return columns
    }

    static let nodes = ResourceKey(group: "", resource: "nodes")
    /// Not a JSONPath: the node status cell is computed as kubectl's node printer does.
    static let nodeStatusPath = "node-status"

    /// As kubectl's node printer: `Ready` when the Ready condition is True, `NotReady` when it is False
    /// or Unknown (a node whose kubelet stopped posting), `Unknown` without one; `,SchedulingDisabled`
    /// when cordoned.
    static func nodeStatus(_ node: JSONValue) -> String {
        let ready = node["status"]?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }
        var text: String
        switch ready?["status"]?.stringValue {
        case "True": text = "Ready"
        case nil: text = "Unknown"
        default: text = "NotReady"
        }
        if case .bool(true)? = node["spec"]?["unschedulable"] { text += ",SchedulingDisabled" }
        return text
    }

    func table(_ objects: [JSONValue], listMetadata: JSONValue) -> JSONValue {
        let columns = self.columns
        let definitions: [JSONValue] = columns.map { column in
            .object(["name": .string(column.name), "type": .string(column.type), "format": .string(column.format ?? ""),
                     "description": .string(column.description), "priority": .int(Int64(column.priority))])
        }
        let rows: [JSONValue] = objects.map { object in
            .object(["cells": .array(columns.map { cell(object, $0) }), "object": partialMetadata(object)])
        }
        return .object(["kind": .string("Table"), "apiVersion": .string("meta.k8s.io/v1"), "metadata": listMetadata,
                        "columnDefinitions": .array(definitions), "rows": .array(rows)])
    }

    private func partialMetadata(_ object: JSONValue) -> JSONValue {
        .object(["kind": .string("PartialObjectMetadata"), "apiVersion": .string("meta.k8s.io/v1"),
                 "metadata": object["metadata"] ?? .object([:])])
    }

    private func cell(_ object: JSONValue, _ column: PrinterColumn) -> JSONValue {
        if column.jsonPath == Self.nodeStatusPath { return .string(Self.nodeStatus(object)) }
        if BatchPrinters.isComputed(column) { return BatchPrinters.cell(object, column, now: now) }
        if DaemonSetPrinter.isComputed(column) { return DaemonSetPrinter.cell(object, column, now: now) }
        guard let value = SimpleJSONPath.evaluate(column.jsonPath, in: object) else {
            return column.type == "string" || column.type == "date" ? .string("") : .null
        }
        if column.type == "date", let text = value.stringValue, let date = Timestamps.date(from: text) {
            return .string(HumanDuration.text(now.timeIntervalSince(date)))
        }
        switch value {
        case .array(let elements): return .string(elements.map { $0.stringValue ?? $0.jsonText }.joined(separator: ","))
        case .object: return .string(value.jsonText)
        default: return value
        }
    }
}

/// The JSONPath subset printer columns use: `.a.b`, `.a[0]`, and `.a[?(@.k=="v")].b`.
enum SimpleJSONPath {
    static func evaluate(_ path: String, in object: JSONValue) -> JSONValue? {
        var current: [JSONValue] = [object]
        var rest = Substring(path.hasPrefix("{") ? String(path.dropFirst().dropLast()) : path)
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let key = rest.prefix { $0 != "." && $0 != "[" }
                rest = rest.dropFirst(key.count)
                current = current.compactMap { $0[String(key)] }
            } else if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                current = current.flatMap { select(inner, in: $0) }
            } else {
                return nil
            }
        }
        if current.isEmpty { return nil }
        return current.count == 1 ? current[0] : .array(current)
    }

    private static func select(_ selector: Substring, in value: JSONValue) -> [JSONValue] {
        let elements = value.arrayValue ?? []
        if selector == "*" { return elements }
        if let index = Int(selector) { return elements.indices.contains(index) ? [elements[index]] : [] }
        guard selector.hasPrefix("?(@."), selector.hasSuffix(")"), let equals = selector.range(of: "==") else { return [] }
        let key = String(selector[selector.index(selector.startIndex, offsetBy: 4)..<equals.lowerBound])
        let expected = selector[equals.upperBound...].dropLast().trimmingCharacters(in: .init(charactersIn: "\"' "))
        return elements.filter { ($0[key]?.stringValue ?? $0[key]?.jsonText) == expected }
    }
}
