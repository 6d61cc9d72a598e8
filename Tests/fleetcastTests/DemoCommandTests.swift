import Foundation
import Testing

/// `fleetcast demo` end to end through the built binary, shortened: the window opens within about a
/// minute and a half and nodes start in seconds. The real operator runs as the demo's child process.
@Suite("fleetcast demo")
struct DemoCommandTests {
    /// hack/demo/infra.yaml with start-ups of seconds instead of half a minute.
    static let quickInfra = """
        seed: 3
        pools:
        - machineDeployment: demo-gpu
          gpusPerNode: 4
          labels: {fleetcast.dev/pool: demo-gpu}
          taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]
          bootDelay: {p50: 4s, p90: 6s}
          gpuInitDelay: 2s
          replicas: 1
        """

    @Test("runs the demo pool against the virtual cluster: capacity is ready before the scheduled window")
    func capacityReadyBeforeTheWindow() async throws {
        let files = try FleetcastBinary.directory(with: ["infra.yaml": Self.quickInfra])
        let started = try DevClusterCommandTests.start([
            "demo", "--infra", files.appendingPathComponent("infra.yaml").path, "--schedule-after", "25",
            "--after-window", "10", "--interval", "5", "--kubeconfig-out", "$DIR/kubeconfig",
        ])
        let status = await started.exited.value
        let output = started.stdout
        #expect(status == 0, "stdout:\n\(output)\nstderr:\n\(started.stderr)")
        #expect(output.contains("kubectl --kubeconfig \(started.directory.path)/kubeconfig get gpupools"), "\(output)")
        #expect(output.contains("window opens at"), "\(output)")
        #expect(output.contains("Capacity ready before the window: yes"), "stdout:\n\(output)\nstderr:\n\(started.stderr)")
        #expect(output.contains("Reactive scaling (simulated"), "\(output)")
    }

    @Test("the demo pool is a valid GPUPool")
    func demoPoolValidates() throws {
        let result = try FleetcastBinary.run(["validate", "-f", "hack/demo/gpupool.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("an infrastructure file without the pool's MachineDeployment exits 1 naming the file")
    func infrastructureWithoutTheTarget() async throws {
        let files = try FleetcastBinary.directory(with: ["infra.yaml": "pools:\n- machineDeployment: other\n  gpusPerNode: 4\n"])
        let path = files.appendingPathComponent("infra.yaml").path
        let started = try DevClusterCommandTests.start(["demo", "--infra", path])
        #expect(await started.exited.value == 1)
        #expect(started.stderr.contains("\(path): pools: no machineDeployment default/demo-gpu"), "\(started.stderr)")
    }
}
