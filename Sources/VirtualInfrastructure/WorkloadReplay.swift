import Foundation
import KubeAPI
import Traces

/// Pods that follow a trace. A demand series keeps the requested GPUs at the trace's demand,
/// rounded up to whole pods of `podGPUs` (pods are added, or removed pending-first then newest,
/// as demand moves); a job list creates one pod per job at its submit time that runs for the job's
/// duration once it starts. Trace time runs `speed` times faster than cluster time.
public struct WorkloadReplay: Sendable {
    public var trace: Trace
    /// The cluster instant at which trace time `trace.start` plays.
    public var start: Date
    public var speed: Double
    public var podGPUs: Int
    public var namespace: String
    public var namePrefix: String
    /// Where the pods may run (the pool's label), and the taints they tolerate.
    public var nodeSelector: [String: String]
    public var tolerations: [Toleration]
    public var priorityClassName: String?
    /// Extra labels on every pod (e.g. the label a GPUPool's demand selector matches), besides `replayLabel`.
    public var labels: [String: String]

    private var created = 0
    private var nextJob = 0

    /// The label every replay pod carries (value: `namePrefix`).
    public static let replayLabel = "fleetcast.dev/replay"

    public init(trace: Trace, start: Date, speed: Double = 1, podGPUs: Int = 1, namespace: String = "default",
                namePrefix: String = "replay", nodeSelector: [String: String] = [:],
                tolerations: [Toleration] = [Toleration(key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule")],
                priorityClassName: String? = nil, labels: [String: String] = [:]) {
        self.trace = trace
        self.start = start
        self.speed = speed > 0 ? speed : 1
        self.podGPUs = max(1, podGPUs)
        self.namespace = namespace
        self.namePrefix = namePrefix
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.priorityClassName = priorityClassName
        self.labels = labels
    }

    private var traceStart: Double {
        switch trace {
        case .demand(let series): series.start
        case .jobs(let list): list.jobs.map(\.submit).min() ?? 0
        }
    }

    /// The trace time playing at cluster instant `now`.
    public func traceTime(at now: Date) -> Double {
        traceStart + now.timeIntervalSince(start) * speed
    }

    /// For a demand series: the GPUs the replay's pods request at `now` (demand rounded up to
    /// whole pods; 0 outside the trace). `nil` for a job list.
    public func requestedGPUs(at now: Date) -> Int? {
        guard case .demand(let series) = trace else { return nil }
        let demand = max(0, series.gpus(at: traceTime(at: now)) ?? 0)
        return Int((demand / Double(podGPUs)).rounded(.up)) * podGPUs
    }

    mutating func reconcile(_ objects: ClusterObjects, pods: [Pod], context: inout StepContext) async throws {
        guard context.now >= start else { return }
        switch trace {
        case .demand:
            let target = (requestedGPUs(at: context.now) ?? 0) / podGPUs
            let mine = pods.filter { $0.metadata.labels?[Self.replayLabel] == namePrefix && !$0.isTerminal && $0.metadata.deletionTimestamp == nil }
            if mine.count < target {
                for _ in mine.count..<target { try await createPod(gpus: podGPUs, duration: nil, objects: objects, context: &context) }
            } else if mine.count > target {
                let victims = mine.sorted { ($0.isBound ? 1 : 0, $1.key) < ($1.isBound ? 1 : 0, $0.key) }.prefix(mine.count - target)
                for pod in victims {
                    try await objects.delete(pod.path)
                    context.record(.podDeleted, pod.key, "demand fell")
                }
            }
        case .jobs(let list):
            let now = traceTime(at: context.now)
            while nextJob < list.jobs.count, list.jobs[nextJob].submit <= now {
                let job = list.jobs[nextJob]
                nextJob += 1
                let gpus = Int(job.gpus.rounded(.up))
                guard gpus > 0 else { continue }
                try await createPod(gpus: gpus, duration: job.duration / speed, objects: objects, context: &context)
            }
        }
    }

    private mutating func createPod(gpus: Int, duration: TimeInterval?, objects: ClusterObjects, context: inout StepContext) async throws {
        created += 1
        let name = String(format: "%@-%06d", namePrefix, created)
        let quantity = JSONValue.string(String(gpus))
        var spec: [String: JSONValue] = [
            "containers": .array([.object([
                "name": .string("worker"), "image": .string("fleetcast.dev/replay"),
                "resources": .object(["limits": .object([NodeShape.gpuResource: quantity]),
                                      "requests": .object([NodeShape.gpuResource: quantity])]),
            ])]),
            "tolerations": (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(tolerations))) ?? .array([]),
        ]
        if !nodeSelector.isEmpty { spec["nodeSelector"] = .object(nodeSelector.mapValues(JSONValue.string)) }
        if let priorityClassName { spec["priorityClassName"] = .string(priorityClassName) }
        var podLabels = labels.mapValues(JSONValue.string)
        podLabels[Self.replayLabel] = .string(namePrefix)
        var metadata: [String: JSONValue] = ["name": .string(name), "namespace": .string(namespace),
                                             "labels": .object(podLabels)]
        if let duration { metadata["annotations"] = .object([PodScheduler.durationAnnotation: .string(String(duration))]) }
        try await objects.create("/api/v1/namespaces/\(namespace)/pods",
                                 JSONValue.object(["apiVersion": .string("v1"), "kind": .string("Pod"),
                                                   "metadata": .object(metadata), "spec": .object(spec)]))
        context.record(.podCreated, "\(namespace)/\(name)", "\(gpus) GPUs")
    }
}
