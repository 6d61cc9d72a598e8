import Foundation
import KubeAPI
import VirtualCluster

/// A minimal emulation of Kueue's admission (kubernetes-sigs/kueue, `kueue.x-k8s.io/v1beta1`): a Job
/// labelled `kueue.x-k8s.io/queue-name` stays suspended until the ClusterQueue behind its LocalQueue has
/// nominal quota for its pods' requests; then it is admitted by setting `spec.suspend: false`, as
/// Kueue's job reconciler does once the Workload is admitted. Jobs are considered oldest first; with
/// `BestEffortFIFO` (the default) a job that does not fit does not block smaller ones behind it, with
/// `StrictFIFO` it does. Usage is the requests of the admitted Jobs of the queue that have not finished.
///
/// Not emulated: Workload objects, cohorts and borrowing, preemption, flavor assignment (quotas of
/// every flavor of a resource are added up), admission checks, queue status counts. Without the Kueue
/// CRDs installed it does nothing.
struct KueueAdmission {
    static let queueNameLabel = "kueue.x-k8s.io/queue-name"
    private static let group = "/apis/kueue.x-k8s.io/v1beta1"

    func reconcile(_ objects: ClusterObjects, context: inout StepContext) async throws {
        let clusterQueues: [JSONValue]
        do {
            clusterQueues = try await objects.list("\(Self.group)/clusterqueues", as: JSONValue.self)
        } catch let error as APIError where error.code == 404 {
            return  // Kueue's CRDs are not installed.
        }
        guard !clusterQueues.isEmpty else { return }
        let localQueues = try await objects.list("\(Self.group)/localqueues", as: JSONValue.self)
        let namespaces = try await objects.list("/api/v1/namespaces", as: KubeNamespace.self)
        let jobs = try await objects.list("/apis/batch/v1/jobs", as: Job.self)
            .filter { !($0.metadata.labels?[Self.queueNameLabel] ?? "").isEmpty }
            .sorted { ($0.metadata.creationTimestamp ?? "", Self.key($0)) < ($1.metadata.creationTimestamp ?? "", Self.key($1)) }

        var queueOf: [String: String] = [:]  // "namespace/localqueue" → ClusterQueue name
        for queue in localQueues {
            guard let name = queue.at("metadata", "name")?.stringValue, let namespace = queue.at("metadata", "namespace")?.stringValue,
                  let clusterQueue = queue.at("spec", "clusterQueue")?.stringValue else { continue }
            queueOf["\(namespace)/\(name)"] = clusterQueue
        }
        var queues: [String: Queue] = [:]
        for object in clusterQueues {
            if let queue = Queue(object) { queues[queue.name] = queue }
        }
        let namespaceLabels = Dictionary(namespaces.compactMap { ns in ns.metadata.name.map { ($0, ns.metadata.labels ?? [:]) } },
                                         uniquingKeysWith: { first, _ in first })

        func clusterQueue(of job: Job) -> String? {
            queueOf["\(job.metadata.namespace ?? "")/\(job.metadata.labels?[Self.queueNameLabel] ?? "")"]
        }
        for job in jobs where job.spec?.suspend != true && !Self.isFinished(job) {
            guard let name = clusterQueue(of: job) else { continue }
            queues[name]?.add(Self.requests(of: job))
        }
        var blocked = Set<String>()
        for job in jobs where job.spec?.suspend == true && job.metadata.deletionTimestamp == nil {
            guard let name = clusterQueue(of: job), var queue = queues[name], !blocked.contains(name) else { continue }
            guard queue.admits(namespaceLabels: namespaceLabels[job.metadata.namespace ?? ""] ?? [:]) else { continue }
            let requests = Self.requests(of: job)
            guard queue.fits(requests) else {
                if queue.strictFIFO { blocked.insert(name) }
                continue
            }
            try await objects.mergePatch("/apis/batch/v1/namespaces/\(job.metadata.namespace ?? "")/jobs/\(job.metadata.name ?? "")",
                                         .object(["spec": .object(["suspend": .bool(false)])]))
            queue.add(requests)
            queues[name] = queue
            context.record(.jobAdmitted, Self.key(job), "clusterqueue=\(name)")
        }
    }

    /// A ClusterQueue's nominal quota per resource (every flavor added up) and what admitted jobs use.
    struct Queue {
        var name: String
        var namespaceSelector: LabelSelector?
        var strictFIFO: Bool
        var quota: [String: Double] = [:]
        var usage: [String: Double] = [:]

        init?(_ object: JSONValue) {
            guard let name = object.at("metadata", "name")?.stringValue else { return nil }
            self.name = name
            strictFIFO = object.at("spec", "queueingStrategy")?.stringValue == "StrictFIFO"
            namespaceSelector = object.at("spec", "namespaceSelector").flatMap { try? JSONDecoder().decode(LabelSelector.self, from: JSONEncoder().encode($0)) }
            for group in object.at("spec", "resourceGroups")?.arrayValue ?? [] {
                for flavor in group.at("flavors")?.arrayValue ?? [] {
                    for resource in flavor.at("resources")?.arrayValue ?? [] {
                        guard let resourceName = resource.at("name")?.stringValue, let nominal = resource.at("nominalQuota"),
                              let value = ResourceQuantity.value(nominal) else { continue }
                        quota[resourceName, default: 0] += value
                    }
                }
            }
        }

        /// Kueue admits only from namespaces its selector matches; an unset selector matches none.
        func admits(namespaceLabels: [String: String]) -> Bool {
            namespaceSelector?.matches(namespaceLabels) ?? false
        }

        /// Every requested resource must be covered and fit inside its remaining quota.
        func fits(_ requests: [String: Double]) -> Bool {
            requests.allSatisfy { resource, amount in
                guard let quota = quota[resource] else { return amount <= 0 }
                return (usage[resource] ?? 0) + amount <= quota + 1e-9
            }
        }

        mutating func add(_ requests: [String: Double]) {
            for (resource, amount) in requests { usage[resource, default: 0] += amount }
        }
    }

    /// The job's requests while it runs: per-pod requests × pods at once, as Kueue's Workload counts them.
    static func requests(of job: Job) -> [String: Double] {
        guard let spec = job.spec else { return [:] }
        var perPod: [String: Double] = [:]
        for container in spec.template.spec?.containers ?? [] {
            for (resource, text) in container.resources?.requests ?? container.resources?.limits ?? [:] {
                perPod[resource, default: 0] += ResourceQuantity.value(.string(text)) ?? 0
            }
        }
        return perPod.mapValues { $0 * Double(spec.concurrentPods) }
    }

    private static func isFinished(_ job: Job) -> Bool {
        job.status?.completionTime != nil
    }

    private static func key(_ job: Job) -> String {
        "\(job.metadata.namespace ?? "")/\(job.metadata.name ?? "")"
    }
}

/// Kubernetes resource quantities as numbers: plain (`8`, `1.5`), milli (`500m`), decimal (`k`, `M`,
/// `G`, `T`, `P`, `E`) and binary (`Ki` … `Ei`) suffixes. Enough for quotas and requests.
enum ResourceQuantity {
    static func value(_ json: JSONValue) -> Double? {
        if let number = json.numberValue { return number }
        guard let text = json.stringValue?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let suffixes: [(String, Double)] = [
            ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776), ("Pi", 1_125_899_906_842_624),
            ("Ei", 1_152_921_504_606_846_976), ("m", 0.001), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
        ]
        for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(text)
    }
}
