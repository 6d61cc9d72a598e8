import FleetcastAPI
import Foundation
import Testing

/// The pools shipped in deploy/examples are documentation users copy; they must stay valid.
@Suite("deploy/examples")
struct ExampleManifestTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/examples")

    @Test(arguments: ["a100-serving-machinedeployment.yaml", "h100-headroom-capacitybuffer.yaml", "l4-forecast-only.yaml", "a100-serving-prometheus-history.yaml",
                            "h100-training-schedules.yaml", "a100-serving-standby.yaml"])
    func exampleIsAValidPool(file: String) throws {
        let pools = try loadValidGPUPools(fromFile: Self.examples.appendingPathComponent(file).path)
        #expect(pools.count == 1)
    }

    @Test func examplesCoverEachCapability() throws {
        let pools = try ["a100-serving-machinedeployment.yaml", "h100-headroom-capacitybuffer.yaml", "l4-forecast-only.yaml", "a100-serving-prometheus-history.yaml",
                            "h100-training-schedules.yaml", "a100-serving-standby.yaml"]
            .flatMap { try loadValidGPUPools(fromFile: Self.examples.appendingPathComponent($0).path) }
        #expect(pools.contains { $0.spec.target.kind == "MachineDeployment" && $0.spec.effectiveSemantics == .totalNodes && !($0.spec.schedules ?? []).isEmpty })
        #expect(pools.contains { $0.spec.effectiveSemantics == .headroom && $0.spec.effectiveReplicasPath == ".spec.replicas" })
        #expect(pools.contains { $0.spec.effectiveMode == .forecastOnly })
        #expect(pools.contains { $0.spec.demand.prometheus?.effectiveUse == .history })
        #expect(pools.contains { pool in
            let modes = Set((pool.spec.schedules ?? []).map(\.effectiveMode))
            return modes == [.floor, .cap] && pool.spec.schedules?.contains { $0.at != nil } == true
        })
        #expect(pools.contains { $0.spec.effectiveStandby?.target.kind == "CapacityBuffer" && $0.spec.warmPool?.prePull?.images.isEmpty == false })
    }

    @Test func aMissingFileIsAReadError() {
        #expect(throws: ManifestError.self) {
            try loadValidGPUPools(fromFile: Self.examples.appendingPathComponent("missing.yaml").path)
        }
    }
}
