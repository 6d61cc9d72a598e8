import Foundation
import KubeAPI

/// The server-side table columns kube-apiserver prints for `batch/v1` Jobs and CronJobs
/// (pkg/printers/internalversion: `printJob`, `printCronJob`), so `kubectl get jobs,cronjobs` shows
/// what it shows against a real cluster. Cells are computed from the object, like the node status.
enum BatchPrinters {
    static let jobs = ResourceKey(group: "batch", resource: "jobs")
    static let cronJobs = ResourceKey(group: "batch", resource: "cronjobs")
    /// Not JSONPaths: the cell is computed by `cell(_:_:now:)`.
    private static let prefix = "batch-printer:"

    /// The columns after Name, or nil for other resources.
    static func columns(for key: ResourceKey) -> [PrinterColumn]? {
        func column(_ name: String, _ type: String, _ description: String, priority: Int = 0) -> PrinterColumn {
            PrinterColumn(name: name, type: type, description: description, priority: priority, jsonPath: prefix + name)
        }
        let wide = [
            column("Containers", "string", "Names of each container in the template.", priority: 1),
            column("Images", "string", "Images referenced by each container in the template.", priority: 1),
            column("Selector", "string", "A label query over pods that should match the pod count.", priority: 1),
        ]
        switch key {
        case jobs:
            return [column("Status", "string", "Status of the job."),
                    column("Completions", "string", "The number of pods which reached phase Succeeded."),
                    column("Duration", "string", "Time required to complete the job."),
                    column("Age", "string", "Time since creation.")] + wide
        case cronJobs:
            return [column("Schedule", "string", "The schedule in Cron format."),
                    column("Timezone", "string", "The time zone name for the given schedule."),
                    column("Suspend", "boolean", "Whether subsequent executions are suspended."),
                    column("Active", "integer", "Pointers to currently running jobs."),
                    column("Last Schedule", "string", "When the job was last successfully scheduled."),
                    column("Age", "string", "Time since creation.")] + wide
        default:
            return nil
        }
    }

    static func isComputed(_ column: PrinterColumn) -> Bool { column.jsonPath.hasPrefix(prefix) }

    static func cell(_ object: JSONValue, _ column: PrinterColumn, now: Date) -> JSONValue {
        let name = String(column.jsonPath.dropFirst(prefix.count))
        let isCronJob = object["kind"]?.stringValue == "CronJob"
        let jobSpec = isCronJob ? object["spec"]?["jobTemplate"]?["spec"] : object["spec"]
        switch name {
        case "Status": return .string(jobStatus(object))
        case "Completions": return .string(completions(object))
        case "Duration": return .string(duration(object, now: now))
        case "Age": return .string(since(object["metadata"]?["creationTimestamp"], now: now) ?? "<unknown>")
        case "Schedule": return object["spec"]?["schedule"] ?? .string("")
        case "Timezone": return .string(object["spec"]?["timeZone"]?.stringValue ?? "<none>")
        case "Suspend":
            if case .bool(let suspended)? = object["spec"]?["suspend"] { return .string(suspended ? "True" : "False") }
            return .string("<unset>")
        case "Active": return .int(Int64(object["status"]?["active"]?.arrayValue?.count ?? 0))
        case "Last Schedule": return .string(since(object["status"]?["lastScheduleTime"], now: now) ?? "<none>")
        case "Containers", "Images":
            let containers = jobSpec?["template"]?["spec"]?["containers"]?.arrayValue ?? []
            return .string(containers.map { ($0[name == "Containers" ? "name" : "image"]?.stringValue) ?? "" }.joined(separator: ","))
        case "Selector": return .string(selector(jobSpec?["selector"]))
        default: return .string("")
        }
    }

    private static func hasCondition(_ job: JSONValue, _ type: String) -> Bool {
        (job["status"]?["conditions"]?.arrayValue ?? []).contains { $0["type"]?.stringValue == type && $0["status"]?.stringValue == "True" }
    }

    private static func jobStatus(_ job: JSONValue) -> String {
        if hasCondition(job, "Complete") { return "Complete" }
        if hasCondition(job, "Failed") { return "Failed" }
        if job["metadata"]?["deletionTimestamp"] != nil { return "Terminating" }
        if hasCondition(job, "Suspended") { return "Suspended" }
        if hasCondition(job, "FailureTarget") { return "FailureTarget" }
        return "Running"
    }

    private static func completions(_ job: JSONValue) -> String {
        let succeeded = Int(job["status"]?["succeeded"]?.numberValue ?? 0)
        if let completions = job["spec"]?["completions"]?.numberValue { return "\(succeeded)/\(Int(completions))" }
        let parallelism = Int(job["spec"]?["parallelism"]?.numberValue ?? 0)
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    private static func duration(_ job: JSONValue, now: Date) -> String {
        guard let start = job["status"]?["startTime"]?.stringValue.flatMap(Timestamps.date(from:)) else { return "" }
        let end = job["status"]?["completionTime"]?.stringValue.flatMap(Timestamps.date(from:)) ?? now
        return HumanDuration.text(end.timeIntervalSince(start))
    }

    private static func since(_ timestamp: JSONValue?, now: Date) -> String? {
        timestamp?.stringValue.flatMap(Timestamps.date(from:)).map { HumanDuration.text(now.timeIntervalSince($0)) }
    }

    /// metav1.FormatLabelSelector: `<none>` for no selector, `k=v` and `key in (a,b)` joined by commas.
    private static func selector(_ selector: JSONValue?) -> String {
        guard let selector, selector != .null else { return "<none>" }
        var parts = (selector["matchLabels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? "")" }
        for expression in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
            switch expression["operator"]?.stringValue {
            case "In": parts.append("\(key) in (\(values))")
            case "NotIn": parts.append("\(key) notin (\(values))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!\(key)")
            default: break
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }
}
