import Foundation
import KubeAPI
import Testing
@testable import VirtualInfrastructure

@Suite("Infrastructure files")
struct InfrastructureFileTests {
    @Test("hack/dev/infra.yaml loads with its pools, delays and autoscaler settings")
    func shippedFile() throws {
        let path = InfrastructureHarness.repositoryRoot.appendingPathComponent("hack/dev/infra.yaml").path
        let configuration = try InfrastructureFile.load(yaml: try String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(configuration.seed == 7)
        #expect(configuration.pools.map(\.machineDeployment) == ["gpu-h100", "gpu-a10"])
        let h100 = try #require(configuration.pools.first)
        #expect(h100.gpusPerNode == 8)
        #expect(h100.bootDelay == .logNormal(p50: 180, p90: 360))
        #expect(h100.gpuInitDelay == .logNormal(p50: 90, p90: 180))
        #expect(h100.taints == [Taint(key: "nvidia.com/gpu", value: "present", effect: "NoSchedule")])
        #expect(h100.initialReplicas == 2)
        #expect(h100.nodeAutoscaler == nil)
        let a10 = configuration.pools[1]
        #expect(a10.bootDelay == .fixed(120))
        #expect(a10.nodeAutoscaler == NodeAutoscalerSettings(scaleDownUnneededTime: 600, expendablePodsPriorityCutoff: -10))
        #expect(a10.minReplicas == 1 && a10.maxReplicas == 8)
    }

    @Test("deletionOrder and nodeDrainTimeout reach the MachineDeployment it creates")
    func deletionSettings() throws {
        let configuration = try InfrastructureFile.load(
            yaml: "pools:\n- {machineDeployment: a, gpusPerNode: 8, deletionOrder: Oldest, nodeDrainTimeout: 10m}\n", file: "f.yaml")
        let pool = try #require(configuration.pools.first)
        #expect(pool.deletionOrder == .oldest)
        #expect(pool.nodeDrainTimeout == 600)
        let object = pool.machineDeploymentObject()
        #expect(MachineDeletionOrder.of(object) == .oldest)
        #expect(object.at("spec", "template", "spec", "deletion", "nodeDrainTimeoutSeconds")?.integer == 600)
    }

    @Test("image-pull, cached-pull and model-load delays are read; absent, they are zero")
    func podStartupDelays() throws {
        let configuration = try InfrastructureFile.load(yaml: """
            pools:
            - {machineDeployment: a, gpusPerNode: 8, imagePullDelay: {p50: 3m, p90: 6m}, cachedImagePullDelay: 2s, modelLoadDelay: 1m}
            - {machineDeployment: b, gpusPerNode: 8}
            """, file: "f.yaml")
        let pool = try #require(configuration.pools.first)
        #expect(pool.imagePullDelay == .logNormal(p50: 180, p90: 360))
        #expect(pool.cachedImagePullDelay == .fixed(2))
        #expect(pool.modelLoadDelay == .fixed(60))
        let plain = configuration.pools[1]
        #expect(plain.imagePullDelay == .fixed(0) && plain.cachedImagePullDelay == .fixed(0) && plain.modelLoadDelay == .fixed(0))
    }

    @Test("bad input names the file, line and field", arguments: [
        ("pools:\n- machineDeployment: a\n", "f.yaml:2: pools[0]: gpusPerNode is required"),
        ("pools:\n- machineDeployment: a\n  gpusPerNode: 0\n", "f.yaml:3: pools[0].gpusPerNode: must be an integer ≥ 1"),
        ("pools:\n- machineDeployment: a\n  gpusPerNode: 8\n  bootDelay: soon\n", "f.yaml:4: pools[0].bootDelay: invalid duration \"soon\""),
        ("pools:\n- machineDeployment: a\n  gpusPerNode: 8\n  gpuInitDelay: {p50: 2m, p90: 1m}\n", "f.yaml:4: pools[0].gpuInitDelay.p90: must be at least p50"),
        ("pools:\n- machineDeployment: a\n  gpusPerNode: 8\n  colour: red\n", "f.yaml:4: pools[0].colour: unknown field"),
        ("pools:\n- machineDeployment: a\n  gpusPerNode: 8\n  taints: [{key: k, effect: Never}]\n", "f.yaml:4: pools[0].taints[0].effect: must be"),
        ("pools: {}\n", "f.yaml:1: pools: must be a list"),
        ("pools:\n- machineDeployment: a\n  gpusPerNode: 8\n  modelLoadDelay: later\n", "f.yaml:4: pools[0].modelLoadDelay: invalid duration \"later\""),
        ("pools:\n- machineDeployment: a\n  gpusPerNode: 8\n  deletionOrder: LeastBusy\n",
         "f.yaml:4: pools[0].deletionOrder: must be one of Random, Newest, Oldest, not \"LeastBusy\""),
    ])
    func errors(yaml: String, expected: String) {
        do {
            _ = try InfrastructureFile.load(yaml: yaml, file: "f.yaml")
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }
}
