import FleetcastAPI
import KubeAPI
import Testing
@testable import fleetcast

/// `fleetcast status POOL`: the standby tier's lines, printed for pools that have one.
@Suite struct PoolStatusTextTests {
    static func pool(standby: Bool, status: GPUPoolStatus) -> GPUPool {
        var spec = GPUPoolSpec(
            nodes: NodesSpec(selector: LabelSelector(matchLabels: ["pool": "a100"]), gpusPerNode: 8, max: 10),
            target: ScaleTargetSpec(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineDeployment", name: "a100"),
            demand: DemandSpec(pods: PodDemandSpec(selector: LabelSelector(matchLabels: ["app": "serve"]))))
        if standby {
            spec.warmPool = WarmPoolSpec(standby: StandbySpec(
                maxNodes: 4, target: ScaleTargetSpec(apiVersion: "autoscaling.x-k8s.io/v1alpha1", kind: "CapacityBuffer", name: "a100-standby")))
        }
        var pool = GPUPool(metadata: ObjectMeta(name: "a100", namespace: "gpu"), spec: spec)
        pool.status = status
        return pool
    }

    /// (has a standby tier, status.standby, the lines expected; none expected means no standby line)
    static let cases: [(Bool, StandbyStatus?, [String])] = [
        (true, StandbyStatus(desired: 3, readyToResume: 2, resumeTime: KubeDuration(seconds: 60), resumeP50: KubeDuration(seconds: 35), resumeP90: KubeDuration(seconds: 58), resumeSamples: 7),
         ["Standby:    3 desired, 2 ready to resume", "  Resume: planned 1m0s; p50 35s, p90 58s from 7 resumes"]),
        // No resume observed yet: the prior is planned with, the quantiles are unknown.
        (true, StandbyStatus(desired: 1, readyToResume: 0, resumeTime: KubeDuration(seconds: 35)),
         ["Standby:    1 desired, 0 ready to resume", "  Resume: planned 35s; p50 -, p90 - from 0 resumes"]),
        // The operator has not reconciled the tier yet.
        (true, nil, []),
        // A status.standby left over from a tier since removed from the spec.
        (false, StandbyStatus(desired: 2, readyToResume: 2), []),
    ]

    @Test(arguments: 0..<cases.count)
    func detailsShowTheStandbyTier(_ index: Int) {
        let (hasTier, standby, expected) = Self.cases[index]
        let text = PoolStatusText.details(Self.pool(standby: hasTier, status: GPUPoolStatus(
            nodes: NodeCountsStatus(current: 2, ready: 2, starting: 0, desired: 2, idle: 1), standby: standby)))
        let lines = text.split(separator: "\n").map(String.init)
        if expected.isEmpty {
            #expect(!text.contains("Standby:") && !text.contains("Resume:"), "\(text)")
        } else {
            let start = lines.firstIndex(of: expected[0])
            #expect(start != nil, "\(text)")
            #expect(start.map { Array(lines[$0..<min(lines.count, $0 + expected.count)]) } == expected, "\(text)")
            // Right after the running nodes, so the two tiers read together.
            #expect(start.map { $0 > 0 && lines[$0 - 1].hasPrefix("Nodes:") } == true, "\(text)")
        }
    }
}
