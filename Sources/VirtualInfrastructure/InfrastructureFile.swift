import Foundation
import KubeAPI
import Sampling
import Yams

/// A problem in an infrastructure file, naming the file, line and field path.
public struct InfrastructureFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String
    public var message: String

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(field.isEmpty ? "" : "\(field): ")\(message)"
    }
}

/// Reads the YAML that describes the simulated infrastructure (`fleetcast dev-cluster --infra`):
///
/// ```yaml
/// seed: 7
/// pools:
/// - machineDeployment: gpu-a          # required
///   gpusPerNode: 8                    # required, > 0
///   namespace: default                # clusterName: dev, cpu: "32", memory: 256Gi
///   labels: {fleetcast.dev/pool: gpu-a}
///   taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]
///   bootDelay: 2m                     # a Go duration, or {p50: 2m, p90: 5m} for a log-normal spread
///   gpuInitDelay: {p50: 45s, p90: 2m}
///   imagePullDelay: {p50: 3m, p90: 6m} # a pod's image pull on a node without the image (default 0s)
///   cachedImagePullDelay: 2s          # the same when the node already has it (default 0s)
///   modelLoadDelay: {p50: 1m, p90: 2m} # containers started to pod Ready (default 0s)
///   replicas: 1                       # initial spec.replicas
///   minReplicas: 0
///   maxReplicas: 8
///   nodeAutoscaler: {scaleDownUnneededTime: 10m, expendablePodsPriorityCutoff: -10}
///   deletionOrder: Random             # the MachineDeployment's spec.deletion.order: Random | Newest | Oldest
///   nodeDrainTimeout: 10m             # the template's drain timeout (absent: wait for PDBs forever)
///   standby: {resumeDelay: {p50: 35s, p90: 60s}, setupTime: 1m, refreshInterval: 24h}   # standby CapacityBuffers' nodes
/// ```
public enum InfrastructureFile {
    public static func load(yaml text: String, file: String) throws(InfrastructureFileError) -> InfrastructureConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return InfrastructureConfiguration() }
            root = node
        } catch {
            throw InfrastructureFileError(file: file, line: nil, field: "", message: "invalid YAML: \(error)")
        }
        let reader = Reader(file: file)
        let top = try reader.mapping(root, "", allowed: ["seed", "pools"])
        var configuration = InfrastructureConfiguration()
        if let seed = top["seed"] { configuration.seed = UInt64(try reader.integer(seed, "seed", minimum: 0)) }
        guard let pools = top["pools"] else { return configuration }
        guard let items = pools.sequence else { throw reader.error(pools, "pools", "must be a list") }
        for (index, item) in items.enumerated() {
            configuration.pools.append(try reader.pool(item, "pools[\(index)]"))
        }
        return configuration
    }

    private struct Reader {
        let file: String

        func error(_ node: Node, _ field: String, _ message: String) -> InfrastructureFileError {
            InfrastructureFileError(file: file, line: node.mark.map { $0.line }, field: field, message: message)
        }

        func mapping(_ node: Node, _ field: String, allowed: Set<String>) throws(InfrastructureFileError) -> [String: Node] {
            guard let mapping = node.mapping else { throw error(node, field, "must be a mapping") }
            var result: [String: Node] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                let path = field.isEmpty ? name : "\(field).\(name)"
                guard allowed.contains(name) else {
                    throw error(key, path, "unknown field (expected one of \(allowed.sorted().joined(separator: ", ")))")
                }
                result[name] = value
            }
            return result
        }

        func string(_ node: Node, _ field: String) throws(InfrastructureFileError) -> String {
            guard let text = node.scalar?.string else { throw error(node, field, "must be a string") }
            return text
        }

        func integer(_ node: Node, _ field: String, minimum: Int) throws(InfrastructureFileError) -> Int {
            guard let text = node.scalar?.string, let value = Int(text), value >= minimum else {
                throw error(node, field, "must be an integer ≥ \(minimum)")
            }
            return value
        }

        func duration(_ node: Node, _ field: String) throws(InfrastructureFileError) -> TimeInterval {
            let text = try string(node, field)
            do {
                let value = try KubeDuration(parsing: text)
                guard value.nanoseconds >= 0 else { throw error(node, field, "must not be negative") }
                return value.seconds
            } catch {
                throw self.error(node, field, "invalid duration \"\(text)\" (Go syntax: 90s, 2m, 1h30m)")
            }
        }

        func delay(_ node: Node, _ field: String) throws(InfrastructureFileError) -> DelayDistribution {
            if node.scalar != nil { return .fixed(try duration(node, field)) }
            let members = try mapping(node, field, allowed: ["p50", "p90"])
            guard let p50 = members["p50"], let p90 = members["p90"] else { throw error(node, field, "needs both p50 and p90") }
            let median = try duration(p50, "\(field).p50"), tail = try duration(p90, "\(field).p90")
            guard tail >= median else { throw error(p90, "\(field).p90", "must be at least p50") }
            return .logNormal(p50: median, p90: tail)
        }

        func stringMap(_ node: Node, _ field: String) throws(InfrastructureFileError) -> [String: String] {
            guard let mapping = node.mapping else { throw error(node, field, "must be a mapping of strings") }
            var result: [String: String] = [:]
            for (key, value) in mapping {
                result[key.string ?? ""] = try string(value, "\(field).\(key.string ?? "")")
            }
            return result
        }

        func taints(_ node: Node, _ field: String) throws(InfrastructureFileError) -> [Taint] {
            guard let items = node.sequence else { throw error(node, field, "must be a list") }
            var result: [Taint] = []
            for (index, item) in items.enumerated() {
                let path = "\(field)[\(index)]"
                let members = try mapping(item, path, allowed: ["key", "value", "effect"])
                guard let key = members["key"], let effect = members["effect"] else { throw error(item, path, "needs key and effect") }
                let effectName = try string(effect, "\(path).effect")
                guard ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effectName) else {
                    throw error(effect, "\(path).effect", "must be NoSchedule, PreferNoSchedule or NoExecute")
                }
                result.append(Taint(key: try string(key, "\(path).key"), value: try members["value"].map { (node) throws(InfrastructureFileError) in
                    try string(node, "\(path).value")
                }, effect: effectName))
            }
            return result
        }

        func standby(_ node: Node, _ field: String) throws(InfrastructureFileError) -> StandbySettings {
            let members = try mapping(node, field, allowed: ["resumeDelay", "setupTime", "refreshInterval"])
            var settings = StandbySettings()
            if let value = members["resumeDelay"] { settings.resumeDelay = try delay(value, "\(field).resumeDelay") }
            if let value = members["setupTime"] { settings.setupTime = try duration(value, "\(field).setupTime") }
            if let value = members["refreshInterval"] {
                settings.refreshInterval = try duration(value, "\(field).refreshInterval")
                guard settings.refreshInterval > 0 else { throw error(value, "\(field).refreshInterval", "must be positive") }
            }
            return settings
        }

        func pool(_ node: Node, _ field: String) throws(InfrastructureFileError) -> NodePoolConfiguration {
            let members = try mapping(node, field, allowed: [
                "machineDeployment", "namespace", "clusterName", "gpusPerNode", "cpu", "memory", "labels", "taints",
                "bootDelay", "gpuInitDelay", "imagePullDelay", "cachedImagePullDelay", "modelLoadDelay",
                "replicas", "minReplicas", "maxReplicas", "nodeAutoscaler",
                "deletionOrder", "nodeDrainTimeout", "standby",
            ])
            guard let name = members["machineDeployment"] else { throw error(node, field, "machineDeployment is required") }
            guard let gpus = members["gpusPerNode"] else { throw error(node, field, "gpusPerNode is required") }
            var pool = NodePoolConfiguration(machineDeployment: try string(name, "\(field).machineDeployment"),
                                             gpusPerNode: try integer(gpus, "\(field).gpusPerNode", minimum: 1))
            if let value = members["namespace"] { pool.namespace = try string(value, "\(field).namespace") }
            if let value = members["clusterName"] { pool.clusterName = try string(value, "\(field).clusterName") }
            if let value = members["cpu"] { pool.cpu = try string(value, "\(field).cpu") }
            if let value = members["memory"] { pool.memory = try string(value, "\(field).memory") }
            if let value = members["labels"] { pool.labels = try stringMap(value, "\(field).labels") }
            if let value = members["taints"] { pool.taints = try taints(value, "\(field).taints") }
            if let value = members["bootDelay"] { pool.bootDelay = try delay(value, "\(field).bootDelay") }
            if let value = members["gpuInitDelay"] { pool.gpuInitDelay = try delay(value, "\(field).gpuInitDelay") }
            if let value = members["imagePullDelay"] { pool.imagePullDelay = try delay(value, "\(field).imagePullDelay") }
            if let value = members["cachedImagePullDelay"] { pool.cachedImagePullDelay = try delay(value, "\(field).cachedImagePullDelay") }
            if let value = members["modelLoadDelay"] { pool.modelLoadDelay = try delay(value, "\(field).modelLoadDelay") }
            if let value = members["replicas"] { pool.initialReplicas = try integer(value, "\(field).replicas", minimum: 0) }
            if let value = members["minReplicas"] { pool.minReplicas = try integer(value, "\(field).minReplicas", minimum: 0) }
            if let value = members["maxReplicas"] { pool.maxReplicas = try integer(value, "\(field).maxReplicas", minimum: 0) }
            if let minimum = pool.minReplicas, let maximum = pool.maxReplicas, minimum > maximum, let value = members["maxReplicas"] {
                throw error(value, "\(field).maxReplicas", "must be at least minReplicas (\(minimum))")
            }
            if let value = members["deletionOrder"] {
                let text = try string(value, "\(field).deletionOrder")
                guard let order = MachineDeletionOrder(rawValue: text) else {
                    throw error(value, "\(field).deletionOrder",
                                "must be one of \(MachineDeletionOrder.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
                }
                pool.deletionOrder = order
            }
            if let value = members["nodeDrainTimeout"] { pool.nodeDrainTimeout = try duration(value, "\(field).nodeDrainTimeout") }
            if let value = members["standby"] { pool.standby = try standby(value, "\(field).standby") }
            if let value = members["nodeAutoscaler"] {
                let settings = try mapping(value, "\(field).nodeAutoscaler", allowed: ["scaleDownUnneededTime", "expendablePodsPriorityCutoff"])
                var autoscaler = NodeAutoscalerSettings()
                if let time = settings["scaleDownUnneededTime"] {
                    autoscaler.scaleDownUnneededTime = try duration(time, "\(field).nodeAutoscaler.scaleDownUnneededTime")
                }
                if let cutoff = settings["expendablePodsPriorityCutoff"] {
                    autoscaler.expendablePodsPriorityCutoff = try integer(cutoff, "\(field).nodeAutoscaler.expendablePodsPriorityCutoff",
                                                                          minimum: Int(Int32.min))
                }
                pool.nodeAutoscaler = autoscaler
            }
            return pool
        }
    }
}
