import FleetcastAPI
import KubeAPI

/// What a Job's pod template asks of a pool, before any pod exists: a CronJob's next run, a Job a
/// queue manager holds suspended. Pure.
enum JobTemplateDemand {
    /// GPUs the job's pods hold at once on this pool — per-pod request (at most one node's worth, as
    /// `DemandTally` counts pods) × pods at once — or nil when the job is not the pool's: its template
    /// labels are outside the demand selector, it requests none of the pool's resource, or its pods
    /// cannot land on the pool's nodes.
    static func gpus(of job: JobSpec, spec: GPUPoolSpec, nodes: [KubeNode]) -> Double? {
        guard let podSpec = job.template.spec,
              spec.demand.pods.selector.matches(job.template.metadata?.labels ?? [:]),
              landsOnPool(podSpec, nodes: nodes, poolSelector: spec.nodes.selector)
        else { return nil }
        let perPod = min(PodDemand.gpus(requestedBy: Pod(metadata: ObjectMeta(), spec: podSpec), resource: spec.effectiveDemandResource),
                         Double(spec.nodes.gpusPerNode))
        guard perPod > 0, job.concurrentPods > 0 else { return nil }
        return perPod * Double(job.concurrentPods)
    }

    /// Whether pods with this spec may run on the pool's nodes: their node selector and required node
    /// affinity match one of them. With no nodes (a pool scaled to zero), the labels the pool's node
    /// selector requires stand in for them, and a label it does not mention is assumed to fit.
    static func landsOnPool(_ pod: PodSpec, nodes: [KubeNode], poolSelector: LabelSelector) -> Bool {
        let wanted = pod.nodeSelector ?? [:]
        let affinity = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        guard nodes.isEmpty else {
            return nodes.contains { node in
                let labels = node.metadata.labels ?? [:]
                return wanted.allSatisfy { labels[$0.key] == $0.value }
                    && (affinity?.matches(labels: labels, name: node.metadata.name ?? "") ?? true)
            }
        }
        let known = poolSelector.matchLabels ?? [:]
        return wanted.allSatisfy { key, value in known[key].map { $0 == value } ?? true }
    }
}

/// Jobs a queue manager holds: Kueue keeps a queued Job `spec.suspend: true` (it creates no pods)
/// until its ClusterQueue has quota, then unsuspends it. Such a job is demand the pods do not show
/// yet (kubernetes-sigs/kueue#999), so it counts as pending demand at full weight: capacity
/// requested for it arrives about when Kueue admits it, and once admitted it is no longer suspended
/// and its pods count instead, never both. Pure.
enum QueuedJobs {
    /// The label Kueue's job integration reads the LocalQueue from.
    static let queueNameLabel = "kueue.x-k8s.io/queue-name"

    /// GPUs of the suspended, queue-labelled jobs that would run on the pool.
    static func gpus(of jobs: [Job], spec: GPUPoolSpec, nodes: [KubeNode]) -> Double {
        jobs.reduce(0) { total, job in
            guard job.metadata.deletionTimestamp == nil, let jobSpec = job.spec, jobSpec.suspend == true,
                  !(job.metadata.labels?[queueNameLabel] ?? "").isEmpty, job.status?.completionTime == nil,
                  let gpus = JobTemplateDemand.gpus(of: jobSpec, spec: spec, nodes: nodes)
            else { return total }
            return total + gpus
        }
    }
}
