import KubeAPI

/// The defaults kube-apiserver gives `batch/v1` objects (pkg/apis/batch/v1/defaults.go) on every write,
/// so a CronJob or Job read back from the virtual cluster looks as it would from a real one: a CronJob
/// is not suspended unless it says so, a Job without parallelism and completions runs one pod once.
enum BatchDefaults {
    static func defaulted(_ object: JSONValue, type: ResourceType) -> JSONValue {
        var object = object
        switch type.key {
        case BatchPrinters.cronJobs:
            setIfAbsent(&object, ["spec", "suspend"], .bool(false))
            setIfAbsent(&object, ["spec", "concurrencyPolicy"], .string("Allow"))
            setIfAbsent(&object, ["spec", "successfulJobsHistoryLimit"], .int(3))
            setIfAbsent(&object, ["spec", "failedJobsHistoryLimit"], .int(1))
        case BatchPrinters.jobs:
            let completions = object.value(at: ["spec", "completions"])
            let parallelism = object.value(at: ["spec", "parallelism"])
            if completions == nil, parallelism == nil {
                object.setValue(.int(1), at: ["spec", "completions"])
                object.setValue(.int(1), at: ["spec", "parallelism"])
            }
            setIfAbsent(&object, ["spec", "parallelism"], .int(1))
            setIfAbsent(&object, ["spec", "backoffLimit"], .int(6))
            setIfAbsent(&object, ["spec", "completionMode"], .string("NonIndexed"))
            setIfAbsent(&object, ["spec", "suspend"], .bool(false))
        default:
            break
        }
        return object
    }

    private static func setIfAbsent(_ object: inout JSONValue, _ path: [String], _ value: JSONValue) {
        if object.value(at: path) == nil || object.value(at: path) == .null { object.setValue(value, at: path) }
    }
}
